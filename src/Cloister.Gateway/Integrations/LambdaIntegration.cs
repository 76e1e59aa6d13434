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

    /// <summary>Lambda's Invoke URL for <paramref name="function"/>, as execution logs name the endpoint request.</summary>
    public static string EndpointUri(Cloister.Model.AccountContext account, string function) =>
        $"https://lambda.{account.Region}.{account.UrlSuffix}/2015-03-31/functions/{function}/invocations";

    public async ValueTask<IntegrationResult> InvokeAsync(IntegrationRequest request, string uri, TimeSpan timeout)
    {
        var function = FunctionArn(uri);
        if (function is null)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, "the integration URI names no Lambda function");
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        if (!MayInvoke(request, function, request.Route.Method.Integration?.Credentials))
        {
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        ProxyEventWriter.Write(buffer, request);
        request.State.Execution?.Data?.Write($"Endpoint request body after transformations: {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)}");
        var (outcome, timedOut) = await InvokeWithDeadlineAsync(request, function, buffer.WrittenMemory, LambdaInvocationType.RequestResponse, timeout).ConfigureAwait(false);
        if (timedOut)
        {
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }

        request.State.Execution?.Data?.Write($"Endpoint response body before transformations: {System.Text.Encoding.UTF8.GetString(outcome.Payload.Span)}");
        if (outcome.Status != LambdaInvocationStatus.Success)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, FailureReason(outcome));
            return IntegrationResult.Failed(Failure(request, outcome));
        }

        var decodeBase64 = MediaTypes.AcceptsBinary(request.Stage.Snapshot.BinaryMediaTypes, request.Http.Request.Headers.Accept);
        if (!ProxyResponseParser.TryParse(outcome.Payload, decodeBase64, out var result, out var reason))
        {
            Log.MalformedProxyResponse(logger, request.State.RequestId, reason);
            request.State.Execution?.Error("Execution failed due to configuration error: Malformed Lambda proxy response");
            return IntegrationResult.Failed(GatewayError.LambdaFailure);
        }

        return result!;
    }

    /// <summary>
    /// Whether Lambda lets API Gateway invoke <paramref name="function"/> for this method: the function's resource-based
    /// policy for the method's ARN (its resource path, not the request's), or the role in <paramref name="credentials"/>, whose
    /// ARN may hold stage variables (the stage variables reference, "AWS integration credentials").
    /// </summary>
    private bool MayInvoke(IntegrationRequest request, string function, string? credentials)
    {
        if (credentials is not null)
        {
            credentials = Pipeline.StageVariables.Substitute(credentials, request.Stage.Variables);
        }

        var resourcePath = request.Route.Resource.Path;
        var sourceArn = string.Concat(request.Stage.MethodArnPrefix, request.State.HttpMethod, "/", resourcePath.AsSpan(resourcePath.StartsWith('/') ? 1 : 0));
        if (request.Catalog.LambdaAccess.Allows(function, sourceArn, credentials, request.State.Caller?.Identity))
        {
            return true;
        }

        Log.InvalidLambdaPermissions(logger, request.State.RequestId, function, sourceArn);
        request.State.Execution?.Error("Execution failed due to configuration error: Invalid permissions on Lambda function");
        return false;
    }

    /// <summary>
    /// The refusal for an invocation that returned no response, with its execution log line (AWS's words where known) and
    /// <c>$context.integrationErrorMessage</c>: a function error is 502 (<c>Lambda Customer Function Error:{errorMessage}</c>,
    /// as AWS's access logs show), an event over Lambda's quota 413 <c>Request Too Long</c>, any other refusal of Lambda's 500.
    /// </summary>
    private static GatewayError Failure(IntegrationRequest request, LambdaInvocationResult outcome)
    {
        switch (outcome.Status)
        {
            case LambdaInvocationStatus.FunctionError or LambdaInvocationStatus.Timeout:
                var errorMessage = ErrorMessage(outcome.Payload.Span, outcome.Status);
                request.State.IntegrationErrorMessage = "Lambda Customer Function Error:" + errorMessage;
                request.State.Execution?.Error($"Lambda execution failed with status 200 due to customer function error: {errorMessage}");
                return GatewayError.LambdaFunctionError;
            case LambdaInvocationStatus.RequestTooLarge:
                // Lambda's own words (Request must be smaller than 6291456 bytes for the InvokeFunction operation).
                var refusal = StringMember(outcome.Payload.Span, "message") ?? "Request Too Long";
                request.State.IntegrationErrorMessage = refusal;
                request.State.Execution?.Error($"Lambda invocation failed with status: 413: {refusal}");
                return GatewayError.LambdaRequestTooLarge;
            default:
                // Lambda's refusal (a throttle's 429 Rate Exceeded., a missing function's 404) is logged, never passed on.
                request.State.Execution?.Error($"Lambda invocation failed with status: {LambdaStatus(outcome)}: {StringMember(outcome.Payload.Span, "message") ?? outcome.ErrorType}");
                request.State.Execution?.Error("Execution failed due to configuration error: Lambda invocation failed");
                return GatewayError.LambdaServiceFailure;
        }
    }

    /// <summary>
    /// The warning logged for a failed invocation: its status, with Lambda's status and error type when Lambda itself
    /// refused the call (<c>Lambda ServiceError 429 TooManyRequestsException (ConcurrentInvocationLimitExceeded)</c>), so
    /// a throttle reads as one.
    /// </summary>
    internal static string FailureReason(LambdaInvocationResult outcome)
    {
        if (outcome.ErrorType is null)
        {
            return $"Lambda {outcome.Status}";
        }

        var reason = StringMember(outcome.Payload.Span, "Reason") is { } named ? $" ({named})" : string.Empty;
        return $"Lambda {outcome.Status} {LambdaStatus(outcome)} {outcome.ErrorType}{reason}";
    }

    /// <summary>Invokes <paramref name="function"/>, bounded by the integration timeout; <c>TimedOut</c> when the deadline passed first.</summary>
    private async ValueTask<(LambdaInvocationResult Outcome, bool TimedOut)> InvokeWithDeadlineAsync(
        IntegrationRequest request, string function, ReadOnlyMemory<byte> payload, LambdaInvocationType invocationType, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, request.Http.RequestAborted);
        try
        {
            // WaitAsync: the gateway answers at the deadline even if the function ignores cancellation.
            request.State.Execution?.Info?.Write($"Sending request to {EndpointUri(request.Catalog.Account, function)}");
            var trace = request.State.TraceHeaderFor(request.Http.Request.Headers);
            var start = time.GetTimestamp();
            var outcome = await invoker.InvokeAsync(function, payload, invocationType, trace, linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
            request.State.Execution?.Info?.Write($"Received response. Status: {LambdaStatus(outcome)}, Integration latency: {(long)time.GetElapsedTime(start).TotalMilliseconds} ms");

            // The function may have answered only because the deadline cancelled it.
            return (outcome, deadline.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (null!, true);
        }
    }

    /// <summary>
    /// The status of Lambda's own answer (not the function's): the invoker's when it says, else 202 queued, 413 refused as
    /// too large, else 200.
    /// </summary>
    public static int LambdaStatus(LambdaInvocationResult outcome) => outcome.LambdaStatusCode != 0 ? outcome.LambdaStatusCode : outcome.Status switch
    {
        LambdaInvocationStatus.Accepted => 202,
        LambdaInvocationStatus.RequestTooLarge => 413,
        _ => 200,
    };

    [GeneratedRegex(@"^arn:[a-z-]+:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(?<function>.+)/invocations$", RegexOptions.CultureInvariant)]
    private static partial Regex InvocationUri();
}
