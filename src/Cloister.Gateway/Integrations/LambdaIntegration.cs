using System.Buffers;
using System.Text.RegularExpressions;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Responses;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>AWS_PROXY to Lambda: the payload 1.0 event in, the proxy response out, bounded by the integration timeout.</summary>
internal sealed partial class LambdaIntegration(ILambdaInvoker invoker, TimeProvider time, ILogger logger)
{

    /// <summary>The function ARN in an integration URI <c>arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations</c>.</summary>
    public static string? FunctionArn(string uri)
    {
        var match = InvocationUri().Match(uri);
        return match.Success ? match.Groups["function"].Value : null;
    }

    public async ValueTask<IntegrationResult> InvokeAsync(IntegrationRequest request, string uri, TimeSpan timeout)
    {
        var function = FunctionArn(uri);
        if (function is null)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, "the integration URI names no Lambda function");
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        ProxyEventWriter.Write(buffer, request);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, request.Http.RequestAborted);
        LambdaInvocationResult outcome;
        try
        {
            // WaitAsync: the gateway answers at the deadline even if the function ignores cancellation.
            outcome = await invoker.InvokeAsync(function, buffer.WrittenMemory, linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }

        if (deadline.IsCancellationRequested)
        {
            // The function answered only because the deadline cancelled it.
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }

        if (outcome.Status != LambdaInvocationStatus.Success)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, $"Lambda {outcome.Status}");
            return IntegrationResult.Failed(GatewayError.LambdaFailure);
        }

        if (!ProxyResponseParser.TryParse(outcome.Payload, out var result, out var reason))
        {
            Log.MalformedProxyResponse(logger, request.State.RequestId, reason);
            return IntegrationResult.Failed(GatewayError.LambdaFailure);
        }

        return result!;
    }

    [GeneratedRegex(@"^arn:[a-z-]+:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(?<function>.+)/invocations$", RegexOptions.CultureInvariant)]
    private static partial Regex InvocationUri();
}
