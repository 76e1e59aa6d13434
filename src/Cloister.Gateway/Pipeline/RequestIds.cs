namespace Cloister.Gateway.Pipeline;

/// <summary>
/// A request's <c>x-amzn-RequestId</c> (a version 4 UUID, as AWS's are) and <c>x-amz-apigw-id</c>. The ids must
/// be unique, not secret, so their bits come from <see cref="Random.Shared"/> rather than the system's
/// cryptographic generator (a <c>getrandom</c> call per request in <see cref="Guid.NewGuid"/>).
/// </summary>
internal static class RequestIds
{
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
