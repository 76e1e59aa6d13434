using System.Text.Json;

namespace Cloister.Tables.Protocol;

/// <summary>
/// The common GetItem request, <c>{"TableName":"t","Key":{"PK":{"S":"v"}}}</c> (optionally with
/// <c>ConsistentRead</c> and <c>ReturnConsumedCapacity: NONE</c>), read with a <see cref="Utf8JsonReader"/>
/// straight over the request bytes: no document, no strings, no dictionaries. Anything else — other
/// members, escaped text, duplicates, malformed JSON — is declined, and the caller takes the general path,
/// which gives every other request (and every error) its full validation.
/// </summary>
internal static class GetItemRequestReader
{
    public static bool TryRead(ReadOnlySpan<byte> body, out SimpleGetItem request)
    {
        request = default;
        try
        {
            return TryReadCore(body, ref request);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> body, ref SimpleGetItem request)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool table = false, key = false, consistent = false, capacity = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("TableName"u8) && !table && IsPlainString(ref reader))
            {
                request.TableName = reader.ValueSpan;
                table = true;
            }
            else if (name.SequenceEqual("Key"u8) && !key && ReadKey(ref reader, ref request))
            {
                key = true;
            }
            else if (name.SequenceEqual("ConsistentRead"u8) && !consistent && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                consistent = true;
            }
            else if (name.SequenceEqual("ReturnConsumedCapacity"u8) && !capacity && IsPlainString(ref reader) && reader.ValueSpan.SequenceEqual("NONE"u8))
            {
                capacity = true;
            }
            else
            {
                return false;
            }
        }

        // The object must close and nothing but whitespace may follow it (Read throws on anything else).
        return reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read() && table && key;
    }

    /// <summary><c>{"A":{"S":"v"}}</c> or <c>{"A":{"S":"v"},"B":{"N":"1"}}</c>: one or two attributes, one typed value each.</summary>
    private static bool ReadKey(ref Utf8JsonReader reader, ref SimpleGetItem request)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || request.KeyCount == 2)
            {
                return false;
            }

            var name = reader.ValueSpan;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject ||
                !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var type = reader.ValueSpan;
            if (!reader.Read() || !IsPlainString(ref reader))
            {
                return false;
            }

            var value = reader.ValueSpan;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            if (request.KeyCount == 0)
            {
                request.FirstName = name;
                request.FirstType = type;
                request.FirstValue = value;
            }
            else
            {
                request.SecondName = name;
                request.SecondType = type;
                request.SecondValue = value;
            }

            request.KeyCount++;
        }

        return reader.TokenType == JsonTokenType.EndObject && request.KeyCount > 0;
    }

    private static bool IsPlainString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped;
}
