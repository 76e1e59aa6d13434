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

        if (!MayInvoke(request, function, integration.Credentials))
        {
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var overrides = new ContextOverrides();
        var (body, _, mappingError) = RequestMapping.Map(request, integration, overrides, logger);
        if (mappingError is not null)
        {
            return IntegrationResult.Failed(mappingError);
        }

        var invocationType = InvocationTypeOf(request, integration, overrides);
        var (outcome, timedOut) = await InvokeWithDeadlineAsync(request, function, body.IsEmpty ? EmptyEvent : body, invocationType, timeout).ConfigureAwait(false);
        if (timedOut)
        {
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }

        if (outcome.Status == LambdaInvocationStatus.Accepted)
        {
            // Queued: the method answers through its default response without the function's result (Lambda's 202, no body).
            return IntegrationResponses.Build(request, integration.Responses, null, 202, null, ReadOnlyMemory<byte>.Empty, "application/json", logger);
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
                Log.IntegrationFailed(logger, request.State.RequestId, FailureReason(outcome));
                return IntegrationResult.Failed(Failure(request, outcome));
        }
    }

    /// <summary>
    /// <c>X-Amz-Invocation-Type</c> as the integration request would carry it to Lambda: from a request parameter mapping
    /// (<c>'Event'</c>, or <c>method.request.header.InvocationType</c> to let clients choose) or the template's
    /// <c>$context.requestOverride.header</c>. <c>Event</c> invokes asynchronously; anything else synchronously.
    /// </summary>
    private static LambdaInvocationType InvocationTypeOf(IntegrationRequest request, Integration integration, ContextOverrides overrides)
    {
        const string Header = "X-Amz-Invocation-Type";
        string? value = null;
        foreach (var (target, source) in integration.RequestParameters)
        {
            if (target.StartsWith("integration.request.header.", StringComparison.Ordinal)
                && target.AsSpan("integration.request.header.".Length).Equals(Header, StringComparison.OrdinalIgnoreCase))
            {
                value = ParameterMapping.ResolveRequestSource(source, request);
            }
        }

        if (overrides.RequestHeaders.TryGetValue(Header, out var overridden))
        {
            value = overridden;
        }

        return value == "Event" ? LambdaInvocationType.Event : LambdaInvocationType.RequestResponse;
    }

    /// <summary>The <c>errorMessage</c> of a Lambda error object; a timeout without one reads as Lambda's own message.</summary>
    private static string ErrorMessage(ReadOnlySpan<byte> payload, LambdaInvocationStatus status) =>
        StringMember(payload, "errorMessage") ?? (status == LambdaInvocationStatus.Timeout ? "Task timed out" : string.Empty);

    /// <summary>The string member <paramref name="name"/> of a JSON object; null when the payload is not one or has no such string.</summary>
    private static string? StringMember(ReadOnlySpan<byte> payload, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var member)
                && member.ValueKind == JsonValueKind.String)
            {
                return member.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not an error object: match against nothing but the default response.
        }

        return null;
    }
}
