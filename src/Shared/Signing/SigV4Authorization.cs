namespace Cloister.Shared.Signing;

/// <summary>
/// The parts of an <c>Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c>
/// header. The credential scope is <c>{key id}/{yyyyMMdd}/{region}/{service}/aws4_request</c>.
/// </summary>
internal sealed record SigV4Authorization(string AccessKeyId, string Date, string Region, string Service, string SignedHeaders, string Signature)
{
    /// <summary>Bounds the header we are willing to parse (SDKs send about 300 characters).</summary>
    public const int MaxHeaderLength = 8 * 1024;

    public string Scope => SigV4Canonical.Scope(Date, Region, Service);

    /// <summary>
    /// Parses the header; on failure returns null and says what is missing the way AWS does
    /// (<c>Authorization header requires 'Signature' parameter.</c>).
    /// </summary>
    public static SigV4Authorization? TryParse(ReadOnlySpan<char> header, out string? problem)
    {
        problem = null;
        if (header.Length > MaxHeaderLength)
        {
            problem = "Authorization header is too long.";
            return null;
        }

        if (!header.StartsWith(SigV4Canonical.Algorithm + " ", StringComparison.Ordinal))
        {
            problem = "Unsupported authorization algorithm; only " + SigV4Canonical.Algorithm + " is accepted.";
            return null;
        }

        ReadOnlySpan<char> credential = default, signedHeaders = default, signature = default;
        var rest = header[(SigV4Canonical.Algorithm.Length + 1)..];
        foreach (var range in rest.Split(','))
        {
            var part = rest[range].Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals];
            var value = part[(equals + 1)..];
            if (name.SequenceEqual("Credential"))
            {
                credential = value;
            }
            else if (name.SequenceEqual("SignedHeaders"))
            {
                signedHeaders = value;
            }
            else if (name.SequenceEqual("Signature"))
            {
                signature = value;
            }
        }

        var missing = (credential.IsEmpty ? "Authorization header requires 'Credential' parameter. " : "") +
            (signature.IsEmpty ? "Authorization header requires 'Signature' parameter. " : "") +
            (signedHeaders.IsEmpty ? "Authorization header requires 'SignedHeaders' parameter. " : "");
        if (missing.Length > 0)
        {
            problem = missing.TrimEnd();
            return null;
        }

        Span<Range> scope = stackalloc Range[6];
        if (credential.Split(scope, '/') != 5 || credential[scope[4]] is not SigV4Canonical.Terminator || credential[scope[1]].Length != 8)
        {
            problem = "Credential should be scoped to a valid region and service: {key id}/{yyyyMMdd}/{region}/{service}/aws4_request.";
            return null;
        }

        return new SigV4Authorization(
            credential[scope[0]].ToString(),
            credential[scope[1]].ToString(),
            credential[scope[2]].ToString(),
            credential[scope[3]].ToString(),
            signedHeaders.ToString(),
            signature.ToString());
    }

    /// <summary>The key id alone, for the cheap check that needs no full parse.</summary>
    public static ReadOnlySpan<char> KeyIdOf(ReadOnlySpan<char> header)
    {
        var start = header.IndexOf("Credential=", StringComparison.Ordinal);
        if (start < 0)
        {
            return default;
        }

        var value = header[(start + "Credential=".Length)..];
        var end = value.IndexOf('/');
        return end < 0 ? default : value[..end];
    }
}
