using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloister.Functions;

namespace Cloister.Host.Control;

/// <summary>
/// What Lambda's Invoke checks before it looks for the function: the invocation type is one of its enum's values
/// (<c>ValidationException</c>) and the payload is JSON (<c>InvalidRequestContentException</c>); either refusal runs
/// nothing. <c>cloister invoke</c> is the only caller that hands Lambda a payload a person typed.
/// </summary>
internal static class InvokeRequestCheck
{
    // Jackson's default nesting limit (StreamReadConstraints), which Lambda's parser applies.
    private const int MaxDepth = 1000;

    // Nothing ran; Lambda's refusals carry the version the call named, $LATEST for an unqualified one.
    private const string UnpublishedVersion = "$LATEST";

    /// <summary>The invocation type, or the refusal when <paramref name="invocationType"/> is not one of Lambda's.</summary>
    public static bool TryParseType(string? invocationType, out InvocationType type, out InvocationReply? refusal)
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
                refusal = Refuse(400, "ValidationException", $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]");
                return false;
        }
    }

    /// <summary>Null when <paramref name="payload"/> is one JSON value (or empty), else Lambda's refusal.</summary>
    public static InvocationReply? CheckPayload(ReadOnlySpan<byte> payload)
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
            return Refuse(400, "InvalidRequestContentException", $"Could not parse request body into json: Could not parse payload into json: {exception.Message}");
        }
    }

    private static InvocationReply Refuse(int status, string errorType, string message)
    {
        var body = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("Type", "User");
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return new InvocationReply(status, Encoding.UTF8.GetString(body.WrittenSpan), null, UnpublishedVersion, Guid.NewGuid().ToString(), errorType);
    }
}
