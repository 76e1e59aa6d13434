using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// Reads a Lambda proxy response (spec §4): <c>statusCode</c>, <c>headers</c>, <c>multiValueHeaders</c>,
/// <c>body</c> (a string), <c>isBase64Encoded</c>. Anything else is malformed and becomes a 502; the
/// reason is for the log, never for the client. A base64 body is decoded only when the client asked for a
/// binary type (<see cref="MediaTypes.AcceptsBinary"/>); otherwise the client receives the base64 text, as on AWS.
/// </summary>
internal static class ProxyResponseParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>RFC 9110 token characters: what a header name may hold.</summary>
    private static readonly SearchValues<char> TokenChars = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>What Kestrel sends in a header value: tab and printable ASCII (no control characters, nothing beyond ASCII).</summary>
    private static readonly SearchValues<char> FieldValueChars = SearchValues.Create("\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static bool TryParse(ReadOnlyMemory<byte> payload, bool decodeBase64, out IntegrationResult? result, out string reason)
    {
        result = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException)
        {
            reason = "not valid JSON";
            return false;
        }

        using (document)
        {
            try
            {
                return TryRead(document.RootElement, decodeBase64, out result, out reason);
            }
            catch (InvalidOperationException)
            {
                // A string that is not valid UTF-8 cannot be read as text.
                result = null;
                reason = "a string is not valid UTF-8";
                return false;
            }
        }
    }

    private static bool TryRead(JsonElement root, bool decodeBase64, out IntegrationResult? result, out string reason)
    {
        result = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            reason = "not a JSON object";
            return false;
        }

        int? status = null;
        var single = new List<KeyValuePair<string, string>>();
        var multi = new List<KeyValuePair<string, string>>();
        string? body = null;
        var base64 = false;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "statusCode":
                    if (!TryReadStatus(property.Value, out var code))
                    {
                        reason = "statusCode is not an HTTP status";
                        return false;
                    }

                    status = code;
                    break;
                case "headers":
                    if (!TryReadHeaders(property.Value, single, multiValue: false))
                    {
                        reason = "headers is not an object of strings";
                        return false;
                    }

                    break;
                case "multiValueHeaders":
                    if (!TryReadHeaders(property.Value, multi, multiValue: true))
                    {
                        reason = "multiValueHeaders is not an object of string arrays";
                        return false;
                    }

                    break;
                case "body":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        reason = "body is not a string";
                        return false;
                    }

                    body = property.Value.GetString();
                    break;
                case "isBase64Encoded":
                    if (!TryReadBoolean(property.Value, out base64))
                    {
                        reason = "isBase64Encoded is not a boolean";
                        return false;
                    }

                    break;
                default:
                    reason = $"unexpected field '{property.Name}'";
                    return false;
            }
        }

        // Without a statusCode AWS answers 200 (LocalStack's AWS-validated snapshot: {"headers":{...}} alone is a 200).
        status ??= StatusCodes.Status200OK;

        byte[] bytes;
        if (body is null)
        {
            bytes = [];
        }
        else if (base64 && decodeBase64)
        {
            try
            {
                bytes = Convert.FromBase64String(body);
            }
            catch (FormatException)
            {
                reason = "body is not valid base64";
                return false;
            }
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(body);
        }

        if (!AreSendable(single) || !AreSendable(multi))
        {
            // Kestrel would refuse them half-way through the response; API Gateway calls such a response malformed.
            reason = "a header name is not a token, or a value has a control character or one beyond ASCII";
            return false;
        }

        // Both maps merge; for a name in both, the multi-value header wins.
        var headers = new List<KeyValuePair<string, string>>(single.Count + multi.Count);
        foreach (var pair in single)
        {
            if (!multi.Exists(m => string.Equals(m.Key, pair.Key, StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(pair);
            }
        }

        headers.AddRange(multi);
        if (!headers.Exists(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "application/json"));
        }

        result = IntegrationResult.Response(status.Value, ProxyHeaders.RemapResponse(headers), bytes);
        reason = string.Empty;
        return true;
    }

    private static bool AreSendable(List<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(TokenChars) || value.AsSpan().ContainsAnyExcept(FieldValueChars))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>true</c>/<c>false</c>, or the same words as a string (<c>"true"</c>, any case): Zappa sent the string for years
    /// and API Gateway decoded its bodies (Miserlou/Zappa#657, #1486). <c>null</c> and any other value are malformed.
    /// </summary>
    private static bool TryReadBoolean(JsonElement value, out bool result)
    {
        result = false;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                var text = value.GetString();
                result = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
                return result || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    private static bool TryReadStatus(JsonElement value, out int status)
    {
        status = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => TryReadWholeNumber(value, out status),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out status),
            JsonValueKind.Null => TryDefaultStatus(out status),
            _ => false,
        };
        // A 1xx is an interim answer in HTTP, never a final one: sent as the response, 101 Switching Protocols told the
        // client the connection was no longer HTTP. AWS documents no range; a function's 1xx is malformed (502).
        return ok && status is >= 200 and <= 599;
    }

    /// <summary>
    /// A whole number, also when written with a fraction or an exponent (<c>201.0</c>, <c>2.01e2</c>, as some serialisers
    /// write every number); <c>201.5</c> is no status.
    /// </summary>
    private static bool TryReadWholeNumber(JsonElement value, out int number)
    {
        if (value.TryGetInt32(out number))
        {
            return true;
        }

        var ok = value.TryGetDouble(out var real) && real == Math.Floor(real) && real is >= int.MinValue and <= int.MaxValue;
        number = ok ? (int)real : 0;
        return ok;
    }

    /// <summary><c>"statusCode": null</c> reads as no status code, which AWS answers with 200.</summary>
    private static bool TryDefaultStatus(out int status)
    {
        status = StatusCodes.Status200OK;
        return true;
    }

    private static bool TryReadHeaders(JsonElement value, List<KeyValuePair<string, string>> into, bool multiValue)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var header in value.EnumerateObject())
        {
            // One header per name whatever its case: the first spelling names it (Content-Type and content-type are one
            // header). In headers the first key keeps its value and a later spelling is dropped, as AWS answers only the
            // first of case-toggled Set-Cookie keys (CodeGenieApp/serverless-express#554); in multiValueHeaders the
            // later spelling's values are added to the first's.
            var known = IndexOf(into, header.Name);
            if (!multiValue)
            {
                if (!TryScalar(header.Value, out var text))
                {
                    return false;
                }

                if (known < 0 && text is not null)
                {
                    into.Add(new(header.Name, text));
                }

                continue;
            }

            if (header.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (header.Value.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var name = known < 0 ? header.Name : into[known].Key;
            foreach (var item in header.Value.EnumerateArray())
            {
                if (!TryScalar(item, out var text))
                {
                    return false;
                }

                if (text is not null)
                {
                    into.Add(new(name, text));
                }
            }
        }

        return true;
    }

    private static int IndexOf(List<KeyValuePair<string, string>> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A header value as text; <paramref name="text"/> is null for a JSON <c>null</c>, a header not sent.</summary>
    private static bool TryScalar(JsonElement value, out string? text)
    {
        // Lambda handlers often return numbers or booleans as header values; API Gateway sends their text.
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return text is not null || value.ValueKind == JsonValueKind.Null;
    }
}
