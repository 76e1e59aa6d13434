using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// A request's <c>x-amzn-RequestId</c> (a version 4 UUID, as AWS's are) and <c>x-amz-apigw-id</c>. The ids must
/// be unique, not secret, so their bits come from <see cref="Random.Shared"/> rather than the system's
/// cryptographic generator (a <c>getrandom</c> call per request in <see cref="Guid.NewGuid"/>).
/// </summary>
internal static class RequestIds
{
    /// <summary>
    /// The request id a client chose: "Access logging for REST APIs" says clients can override the value in the
    /// <c>x-amzn-RequestId</c> header with a UUID, that API Gateway returns it in the <c>x-amzn-RequestId</c> response
    /// header, and that it replaces one not in the format of a UUID with <c>{UUID}_REPLACED_INVALID_REQUEST_ID</c> in
    /// access logs (<paramref name="logged"/>, from <paramref name="generated"/>). Null when the client sent none.
    /// </summary>
    public static string? FromClient(IHeaderDictionary headers, string generated, out string? logged)
    {
        logged = null;
        if (!headers.TryGetValue("x-amzn-RequestId", out var values) || values.Count == 0 || string.IsNullOrEmpty(values[^1]))
        {
            return null;
        }

        var sent = values[^1]!;
        if (!Guid.TryParseExact(sent, "D", out _))
        {
            logged = generated + "_REPLACED_INVALID_REQUEST_ID";
        }

        return sent;
    }

    public static (string RequestId, string ExtendedRequestId) Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);

        // Guid's byte order keeps the version in the high nibble of byte 7 and the variant in the top bits of byte 8.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return (new Guid(bytes).ToString(), Extended(bytes[..11]));
    }

    /// <summary>16 base64 characters like AWS's, from random bits of the request id, with <c>/</c> and <c>+</c> replaced.</summary>
    private static string Extended(ReadOnlySpan<byte> bits)
    {
        Span<char> text = stackalloc char[16];
        Convert.TryToBase64Chars(bits, text, out _);
        text.Replace('/', 'F');
        text.Replace('+', 'E');
        return new string(text);
    }
}
