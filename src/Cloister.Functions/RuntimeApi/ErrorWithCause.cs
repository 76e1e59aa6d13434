using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloister.Functions.RuntimeApi;

/// <summary>
/// An invocation error a runtime posts as <c>application/vnd.aws.lambda.error.cause+json</c>
/// (<c>{errorMessage, errorType, stackTrace, errorCause}</c>, the last for X-Ray): Lambda's runtime manager hands the
/// caller only <c>{"errorMessage","errorType","stackTrace"}</c> (no <c>stackTrace</c> when there is none), and a body it
/// cannot read as that object the JSON string <c>"Invalid error body"</c> (<c>rapi/handler/invocationerror.go</c> and
/// <c>mime_type_error_cause_json.go</c> in aws-lambda-runtime-interface-emulator).
/// </summary>
internal static class ErrorWithCause
{
    public const string ContentType = "application/vnd.aws.lambda.error.cause+json";

    // Deep enough for any error a runtime writes; Go's decoder allows 10,000.
    private const int MaxDepth = 1000;

    private static readonly byte[] Invalid = "\"Invalid error body\""u8.ToArray();

    // Non-ASCII as it is, as Go's encoder writes it.
    private static readonly JsonWriterOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What the caller gets for <paramref name="body"/> posted with <see cref="ContentType"/>.</summary>
    public static byte[] CallerBody(ReadOnlySpan<byte> body)
    {
        string? message = null;
        string? type = null;
        List<string>? stack = null;
        try
        {
            // Bytes that are not UTF-8 become U+FFFD, as Go's decoder reads them.
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(body), new JsonDocumentOptions { MaxDepth = MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return root.ValueKind == JsonValueKind.Null ? Write(null, null, null) : Invalid;
            }

            // Go's decoder matches the names without regard to case, the last of the same name winning.
            foreach (var member in root.EnumerateObject())
            {
                var ok = member.Name.ToUpperInvariant() switch
                {
                    "ERRORMESSAGE" => TryString(member.Value, out message),
                    "ERRORTYPE" => TryString(member.Value, out type),
                    "STACKTRACE" => TryStrings(member.Value, out stack),
                    _ => true,
                };
                if (!ok)
                {
                    return Invalid;
                }
            }
        }
        catch (JsonException)
        {
            return Invalid;
        }

        return Write(message, type, stack);
    }

    private static byte[] Write(string? message, string? type, List<string>? stack)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Output))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage"u8, message ?? string.Empty);
            writer.WriteString("errorType"u8, type ?? string.Empty);
            if (stack is { Count: > 0 })
            {
                writer.WriteStartArray("stackTrace"u8);
                foreach (var frame in stack)
                {
                    writer.WriteStringValue(frame);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // A JSON null leaves the field empty, as Go's decoder does; any other kind but a string is not the object.
    private static bool TryString(JsonElement value, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    private static bool TryStrings(JsonElement value, out List<string>? frames)
    {
        frames = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        frames = [];
        foreach (var frame in value.EnumerateArray())
        {
            if (!TryString(frame, out var text))
            {
                return false;
            }

            frames.Add(text ?? string.Empty);
        }

        return true;
    }
}
