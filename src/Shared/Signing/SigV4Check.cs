using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloister.Shared.Signing;

/// <summary>
/// The checks every AWS service makes of a SigV4-signed request once it knows the caller's secret: an
/// <c>X-Amz-Date</c> in ISO 8601 basic format within 15 minutes of now, the credential scope's day equal to it,
/// <c>host</c> among the signed headers, and the signature the secret makes over the canonical request, compared in
/// constant time. The tables service and the Lambda Invoke API check with it and word the failure as their service does.
/// </summary>
internal static class SigV4Check
{
    /// <summary>How far a request's <c>X-Amz-Date</c> may be from now, either way.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>Null when the request is signed as it should be, else why not.</summary>
    /// <param name="authorization">The parsed Authorization header.</param>
    /// <param name="amzDate">The request's <c>X-Amz-Date</c> (empty when absent).</param>
    /// <param name="now">The service's clock.</param>
    /// <param name="canonicalRequest">The canonical request of what arrived (<see cref="SigV4Canonical.CanonicalRequest"/>).</param>
    /// <param name="signingKey">The key derived from the caller's secret for the authorization's scope.</param>
    public static SigV4Failure? Verify(SigV4Authorization authorization, string amzDate, DateTimeOffset now, string canonicalRequest, byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(amzDate);
        if (amzDate.Length == 0)
        {
            return new SigV4Failure(true, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return new SigV4Failure(true, $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'.");
        }

        if (signedAt < now - AllowedSkew)
        {
            return new SigV4Failure(false, $"Signature expired: {amzDate} is now earlier than {Basic(now - AllowedSkew)} ({Basic(now)} - 15 min.)");
        }

        if (signedAt > now + AllowedSkew)
        {
            return new SigV4Failure(false, $"Signature not yet current: {amzDate} is still later than {Basic(now + AllowedSkew)} ({Basic(now)} + 15 min.)");
        }

        if (!amzDate.AsSpan(0, 8).SequenceEqual(authorization.Date))
        {
            return new SigV4Failure(false, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{authorization.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (!authorization.SignedHeaders.Split(';').Contains("host", StringComparer.Ordinal))
        {
            return new SigV4Failure(false, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var expected = SigV4Canonical.Signature(signingKey, SigV4Canonical.StringToSign(amzDate, authorization.Scope, canonicalRequest));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature))
            ? null
            : new SigV4Failure(false, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    private static string Basic(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
