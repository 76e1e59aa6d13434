using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Templates.Velocity;
using Cloister.Model.Api;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// AWS (non-proxy) Lambda integrations: the request template's output (or the body passed through) is the
/// event; the function's result is the integration response body. A function error is selected by its
/// <c>errorMessage</c> against the integration responses' <c>selectionPattern</c>s; a success takes the default one.
/// </summary>
internal sealed partial class LambdaIntegration
{
    private static readonly byte[] EmptyEvent = "{}"u8.ToArray();

    public async ValueTask<IntegrationResult> InvokeAwsAsync(IntegrationRequest request, Integration integration, string uri, TimeSpan timeout)
    {
        var function = FunctionArn(uri);
        if (function is null)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, "the integration URI names no Lambda function");
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var (body, _, mappingError) = RequestMapping.Map(request, integration, new ContextOverrides(), logger);
        if (mappingError is not null)
        {
            return IntegrationResult.Failed(mappingError);
        }

        var (outcome, timedOut) = await InvokeWithDeadlineAsync(request, function, body.IsEmpty ? EmptyEvent : body, timeout).ConfigureAwait(false);
        if (timedOut)
        {
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }

        // The payload belongs to the invoker only until the call returns; responses keep their own copy.
        var payload = outcome.Payload.ToArray();
        switch (outcome.Status)
        {
            case LambdaInvocationStatus.Success:
                return IntegrationResponses.Build(request, integration.Responses, null, 200, null, payload, "application/json", logger);
            case LambdaInvocationStatus.FunctionError or LambdaInvocationStatus.Timeout:
                return IntegrationResponses.Build(request, integration.Responses, ErrorMessage(payload, outcome.Status), 200, null, payload, "application/json", logger);
            default:
                Log.IntegrationFailed(logger, request.State.RequestId, $"Lambda {outcome.Status}");
                return IntegrationResult.Failed(GatewayError.LambdaServiceFailure);
        }
    }

    /// <summary>The <c>errorMessage</c> of a Lambda error object; a timeout without one reads as Lambda's own message.</summary>
    private static string ErrorMessage(ReadOnlySpan<byte> payload, LambdaInvocationStatus status)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorMessage", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not an error object: match against nothing but the default response.
        }

        return status == LambdaInvocationStatus.Timeout ? "Task timed out" : string.Empty;
    }
}
