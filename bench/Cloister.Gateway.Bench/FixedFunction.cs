using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Bench;

/// <summary>An in-process function that answers at once with a fixed proxy response (or, as the authorizer, an Allow for the whole API).</summary>
internal sealed class FixedFunction : ILambdaInvoker
{
    private static readonly byte[] Response = """{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"ok\":true}"}"""u8.ToArray();

    private static readonly byte[] Allow =
        """{"principalId":"bench","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:bench00001/*"}]}}"""u8.ToArray();

    public static ReadOnlyMemory<byte> Body => """{"ok":true}"""u8.ToArray();

    public ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, LambdaInvocationType invocationType, string? traceHeader, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, functionArn == BenchApis.AuthorizerArn ? Allow : Response));
}
