using System.Text;
using Cloister.Gateway.ExecutionLogs;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Responses;
using Cloister.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// The request path's execution log lines (docs/gateway.md, "Execution logs"), in AWS's words and order. Each writer is
/// called only when the method logs; INFO and data trace lines go through <see cref="ExecutionTrace.Info"/> and
/// <see cref="ExecutionTrace.Data"/>, so a level that leaves them out never builds their text.
/// </summary>
internal sealed partial class RequestHandler
{
    /// <summary>Request headers whose values execution logs redact, as AWS does.</summary>
    private static readonly string[] RedactedHeaders = ["Authorization", "x-api-key", "X-Amz-Security-Token"];

    /// <summary>Starts the request's execution log once its method is known, when the method logs.</summary>
    private void StartExecutionLog(RequestState state)
    {
        if (state.Stage?.ExecutionLog is not { } target || state.Route is not { } route)
        {
            return;
        }

        var setting = target.For(route.Resource.Path, route.Method.HttpMethod);
        if (setting.Level == ExecutionLogLevel.Off)
        {
            return;
        }

        var trace = new ExecutionTrace(_accessLogs, target, setting, state.RequestId, _time);
        state.Execution = trace;
        trace.Info?.Write($"Extended Request Id: {state.ExtendedRequestId}");
        if (route.Method.AuthorizationType == "CUSTOM" && route.Method.AuthorizerId is { } authorizerId)
        {
            trace.Info?.Write($"Starting authorizer: {authorizerId} for request: {state.RequestId}");
        }
    }

    /// <summary>Access control's outcome, then the lines AWS writes as execution starts.</summary>
    private static void LogAccessDecided(ExecutionTrace trace, HttpRequest request, RequestState state, GatewayError? denied)
    {
        var route = state.Route!;
        if (route.Method.AuthorizationType == "CUSTOM")
        {
            if (state.Authorizer is not null)
            {
                trace.Info?.Write("Successfully completed authorizer execution");
                if (denied is not null)
                {
                    trace.Info?.Write("The client is not authorized to perform this operation.");
                }
            }
            else if (denied is { StatusCode: >= 500 })
            {
                trace.Error("Execution failed due to configuration error: Authorizer error");
            }
            else if (denied is not null)
            {
                trace.Info?.Write($"Unauthorized request: {state.RequestId}");
            }
        }

        if (denied is not null || trace.Info is not { } info)
        {
            return;
        }

        var apiStage = $"{state.ApiId}/{state.Stage!.Name}";
        var key = state.ApiKey is { } apiKey ? new string('*', apiKey.Value.Length) : string.Empty;
        info.Write($"Verifying Usage Plan for request: {state.RequestId}. API Key: {key} API Stage: {apiStage}");
        if (!route.Method.ApiKeyRequired)
        {
            info.Write($"API Key {key} authorized because method '{state.HttpMethod} {route.Resource.Path}' does not require API Key. Request will not contribute to throttle or quota limits");
        }

        info.Write($"Usage Plan check succeeded for API Key {key} and API Stage {apiStage}");
        info.Write($"Starting execution for request: {state.RequestId}");
        info.Write($"HTTP Method: {state.HttpMethod}, Resource Path: {state.Path}");
        if (trace.Data is { } data)
        {
            data.Write($"Method request path: {JavaMap(route.DecodedPathParameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)))}");
            data.Write($"Method request query string: {JavaMap(request.Query.Select(q => (q.Key, q.Value.ToString())))}");
            data.Write($"Method request headers: {JavaMap(request.Headers.Select(h => (h.Key, Redact(h.Key, h.Value.ToString()))))}");
        }
    }

    /// <summary>The request body as the method received it (data trace).</summary>
    private static void LogRequestBody(ExecutionTrace data, ReadOnlyMemory<byte> body) =>
        data.Write($"Method request body before transformations: {Encoding.UTF8.GetString(body.Span)}");

    /// <summary>Before the integration is called: where the request goes (MOCK goes nowhere).</summary>
    private void LogIntegrationStart(ExecutionTrace info, ApiMethod method, RequestState state)
    {
        if (method.Integration is not { Type: not IntegrationType.Mock } integration)
        {
            return;
        }

        var uri = StageVariables.Substitute(integration.Uri ?? string.Empty, state.StageVariables);
        if (integration.Type is IntegrationType.Aws or IntegrationType.AwsProxy)
        {
            // "Sending request to" follows the request body, which the Lambda integration logs (LambdaIntegration.InvokeWithDeadlineAsync).
            if (LambdaIntegration.FunctionArn(uri) is { } function)
            {
                info.Write($"Endpoint request URI: {LambdaIntegration.EndpointUri(Catalog.Account, function)}");
            }

            return;
        }

        info.Write($"Endpoint request URI: {uri}");
        info.Write($"Sending request to {uri}");
    }

    /// <summary>After the integration answered (or failed).</summary>
    private static void LogIntegrationEnd(ExecutionTrace trace, ApiMethod method, IntegrationResult result, RequestState state)
    {
        // MOCK receives nothing; the Lambda integration logs its own response as it comes, before its body.
        if (method.Integration?.Type is IntegrationType.Http or IntegrationType.HttpProxy && state.IntegrationServiceStatus is { } status)
        {
            trace.Info?.Write($"Received response. Status: {status}, Integration latency: {state.IntegrationLatencyMs} ms");
        }

        if (result.Error == GatewayError.IntegrationTimeout && !trace.Failed)
        {
            trace.Error("Execution failed due to a timeout error");
        }
        else if (result.Error is { StatusCode: >= 500 } && !trace.Failed)
        {
            trace.Error("Execution failed due to configuration error: Internal server error");
        }

        if (result.Error is not null)
        {
            return;
        }

        if (trace.Data is { } data)
        {
            data.Write($"Method response body after transformations: {Encoding.UTF8.GetString(result.Body.Span)}");
            data.Write($"Method response headers: {JavaMap(result.Headers.Select(h => (h.Key, h.Value)))}");
        }

        trace.Info?.Write("Successfully completed execution");
    }

    /// <summary>The last line: at INFO always, at ERROR after an error line.</summary>
    private static void LogCompleted(ExecutionTrace trace, RequestState state)
    {
        if (trace.Info is not null || trace.Failed)
        {
            trace.Write($"Method completed with status: {state.Status}");
        }
    }

    private static string Redact(string name, string value) =>
        Array.Exists(RedactedHeaders, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) ? new string('*', value.Length) : value;

    /// <summary><c>{name=value, name=value}</c>: the way AWS's (Java) execution logs print parameters and headers.</summary>
    private static string JavaMap(IEnumerable<(string Key, string Value)> entries) =>
        "{" + string.Join(", ", entries.Select(e => $"{e.Key}={e.Value}")) + "}";
}
