using System.Text.Json;
using Cloister.Shared.Validation;

namespace Cloister.Functions.Refusals;

/// <summary>
/// What Lambda's Invoke checks before it looks for the function: the invocation type is one of its enum's values
/// (<c>ValidationException</c>) and the payload is JSON (<c>InvalidRequestContentException</c>); either refusal runs
/// nothing. Callers that hand Lambda what a person or a client sent (<c>cloister invoke</c>, the Invoke API) go
/// through <see cref="LambdaService.InvokeRequestAsync"/>, which applies it.
/// </summary>
internal static class InvokeRequestCheck
{
    // Jackson's default nesting limit (StreamReadConstraints), which Lambda's parser applies.
    private const int MaxDepth = 1000;

    /// <summary>The invocation type, or the refusal when <paramref name="invocationType"/> is not one of Lambda's.</summary>
    public static bool TryParseType(string? invocationType, out InvocationType type, out InvocationResult? refusal)
    {
        refusal = null;
        switch (invocationType)
        {
            case null or nameof(InvocationType.RequestResponse):
                type = InvocationType.RequestResponse;
                return true;
            case nameof(InvocationType.Event):
                type = InvocationType.Event;
                return true;
            case nameof(InvocationType.DryRun):
                type = InvocationType.DryRun;
                return true;
            default:
                // The enum is case-sensitive: 'event' is refused as 'Bogus' is.
                type = default;
                var violations = new ConstraintViolations();
                CheckType(violations, invocationType, streaming: false);
                refusal = Refusal.Validation(violations.Message, Guid.NewGuid().ToString());
                return false;
        }
    }

    /// <summary>
    /// Adds the violation of an invocation type not one of Invoke's (or, <paramref name="streaming"/>,
    /// InvokeWithResponseStream's <c>ResponseStreamingInvocationType</c>); nothing when absent.
    /// </summary>
    public static void CheckType(ConstraintViolations violations, string? invocationType, bool streaming)
    {
        if (streaming)
        {
            violations.Enum(invocationType, "invocationType", nameof(InvocationType.RequestResponse), nameof(InvocationType.DryRun));
        }
        else
        {
            violations.Enum(invocationType, "invocationType", nameof(InvocationType.DryRun), nameof(InvocationType.RequestResponse), nameof(InvocationType.Event));
        }
    }

    /// <summary>Adds the violation of a log type not Tail or None; nothing when absent (or sent empty).</summary>
    public static void CheckLogType(ConstraintViolations violations, string? logType) =>
        violations.Enum(string.IsNullOrEmpty(logType) ? null : logType, "logType", "Tail", "None");

    /// <summary>Null when <paramref name="payload"/> is one JSON value (or empty), else Lambda's refusal.</summary>
    public static InvocationResult? CheckPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException exception)
        {
            return Refusal.InvalidRequestContent($"Could not parse request body into json: Could not parse payload into json: {exception.Message}", Guid.NewGuid().ToString());
        }
    }
}
