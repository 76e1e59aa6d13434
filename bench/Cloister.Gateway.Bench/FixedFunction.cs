using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Bench;

/// <summary>An in-process function that answers at once with a fixed proxy response.</summary>
internal sealed class FixedFunction : ILambdaInvoker
{
    private static readonly byte[] Response = """{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"ok\":true}"}"""u8.ToArray();

    public static ReadOnlyMemory<byte> Body => """{"ok":true}"""u8.ToArray();

    public ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Response));
}
