using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloister.Gateway.Responses;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Gateway.Signing;

/// <summary>
/// Verifies the Signature Version 4 of a call to an AWS_IAM method (the <c>Authorization</c> header, or the
/// <c>X-Amz-*</c> query parameters of a presigned request) against the
/// credentials the sandbox issued, refusing with API Gateway's 403s: <c>MissingAuthenticationTokenException</c>
/// when unsigned, <c>IncompleteSignatureException</c> when the header lacks parts,
/// <c>UnrecognizedClientException</c> for a key or token the sandbox did not issue, <c>ExpiredTokenException</c> for
/// temporary credentials past their expiry (before the date and signature are looked at), <c>InvalidSignatureException</c>
/// for a wrong scope, a date more than five minutes off, or a signature that does not match.
/// </summary>
internal static class SigV4Verifier
{
    public const string Service = "execute-api";

    /// <summary>How far a request's date may be from the gateway's clock.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary>The longest a presigned request stays valid: seven days.</summary>
    public const int MaxPresignedSeconds = 604_800;

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static SigV4Outcome Verify(HttpContext http, ReadOnlySpan<byte> body, DateTimeOffset now, string region, Func<string, GatewayCredential?> credentials)
    {
        var request = http.Request;
        var authorization = request.Headers.Authorization.ToString();
        string? credential, signedHeaders, signature;
        string amzDate, dateHeader, token;
        TimeSpan? lifetime = null;
        if (authorization.Length == 0)
        {
            // A presigned request carries the signature in the query string instead.
            var query = request.Query;
            if (!query.ContainsKey("X-Amz-Signature") && !query.ContainsKey("X-Amz-Credential"))
            {
                return SigV4Outcome.Refused(GatewayError.MissingAuthenticationToken);
            }

            credential = Single(query, "X-Amz-Credential");
            signedHeaders = Single(query, "X-Amz-SignedHeaders");
            signature = Single(query, "X-Amz-Signature");
            amzDate = Single(query, "X-Amz-Date") ?? string.Empty;
            dateHeader = string.Empty;
            token = Single(query, "X-Amz-Security-Token") ?? string.Empty;
            if (Single(query, "X-Amz-Algorithm") != SigV4Canonical.Algorithm || credential is null || signedHeaders is null || signature is null || amzDate.Length == 0)
            {
                return SigV4Outcome.Refused(AccessErrors.IncompleteSignature(
                    "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."));
            }

            if (Single(query, "X-Amz-Expires") is { } expires)
            {
                if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxPresignedSeconds)
                {
                    return SigV4Outcome.Refused(AccessErrors.IncompleteSignature($"X-Amz-Expires must be between 1 and {MaxPresignedSeconds} seconds, not '{expires}'."));
                }

                lifetime = TimeSpan.FromSeconds(seconds);
            }
        }
        else
        {
            if (HeaderProblem(request, authorization, out credential, out signedHeaders, out signature) is { } problem)
            {
                return SigV4Outcome.Refused(AccessErrors.IncompleteSignature(problem));
            }

            amzDate = request.Headers["X-Amz-Date"].ToString();
            dateHeader = request.Headers.Date.ToString();
            token = request.Headers["X-Amz-Security-Token"].ToString();
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5)
        {
            return SigV4Outcome.Refused(AccessErrors.IncompleteSignature(
                $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"));
        }

        if (credentials(scope[0]) is not { } known)
        {
            return SigV4Outcome.Refused(AccessErrors.UnrecognizedClient);
        }

        if (known.SessionToken is null ? token.Length > 0 : !FixedTimeEquals(token, known.SessionToken))
        {
            return SigV4Outcome.Refused(AccessErrors.UnrecognizedClient);
        }

        if (known.Identity?.HasExpired(now) == true)
        {
            return SigV4Outcome.Refused(AccessErrors.ExpiredToken);
        }

        DateTimeOffset signedAt;
        if (amzDate.Length > 0)
        {
            if (!DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out signedAt))
            {
                return SigV4Outcome.Refused(AccessErrors.IncompleteSignature(
                    $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601"));
            }
        }
        else if (!DateTimeOffset.TryParse(dateHeader, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out signedAt))
        {
            return SigV4Outcome.Refused(AccessErrors.IncompleteSignature($"Date must be in RFC 1123 format. Got '{dateHeader}'."));
        }
        else
        {
            amzDate = signedAt.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        }

        var day = amzDate[..8];
        if (scope[1] != day)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature(
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{day}', from '{amzDate}'."));
        }

        if (scope[2] != region)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature($"Credential should be scoped to a valid region, not '{scope[2]}'. "));
        }

        if (scope[3] != Service)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature($"Credential should be scoped to correct service: '{Service}'. "));
        }

        if (scope[4] != SigV4Canonical.Terminator)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature($"Credential should be scoped with a valid terminator: '{SigV4Canonical.Terminator}', not '{scope[4]}'. "));
        }

        var nowText = now.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        if (lifetime is { } valid && signedAt + valid < now)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature(
                $"Signature expired: {amzDate} is now earlier than {(now - valid).UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} ({nowText} - {(int)valid.TotalSeconds} sec.)"));
        }

        if (lifetime is null && signedAt < now - AllowedSkew)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature(
                $"Signature expired: {amzDate} is now earlier than {(now - AllowedSkew).UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} ({nowText} - 5 min.)"));
        }

        if (signedAt > now + AllowedSkew)
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature(
                $"Signature not yet current: {amzDate} is still later than {(now + AllowedSkew).UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} ({nowText} + 5 min.)"));
        }

        var canonical = CanonicalRequest(http, signedHeaders!, body);
        var credentialScope = SigV4Canonical.Scope(day, region, Service);
        var stringToSign = SigV4Canonical.StringToSign(amzDate, credentialScope, canonical);
        var expected = SigV4Canonical.Signature(SigV4Canonical.SigningKey(known.SecretAccessKey, day, region, Service), stringToSign);
        if (!FixedTimeEquals(signature!, expected))
        {
            return SigV4Outcome.Refused(AccessErrors.InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                + $"The Canonical String for this request should have been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{stringToSign}'\n"));
        }

        return new SigV4Outcome(SignedCaller.Of(known), null);
    }

    /// <summary>
    /// What is wrong with <paramref name="authorization"/> as a SigV4 header, in AWS's words (the
    /// <c>IncompleteSignatureException</c> message), or null when it names every part a signature needs.
    /// </summary>
    public static string? HeaderProblem(HttpRequest request, string authorization) =>
        HeaderProblem(request, authorization, out _, out _, out _);

    private static string? HeaderProblem(HttpRequest request, string authorization, out string? credential, out string? signedHeaders, out string? signature)
    {
        if (!TryParseHeader(authorization, out credential, out signedHeaders, out signature, out var malformed))
        {
            return malformed;
        }

        var missing = new StringBuilder();
        if (credential is null)
        {
            missing.Append("Authorization header requires 'Credential' parameter. ");
        }

        if (signature is null)
        {
            missing.Append("Authorization header requires 'Signature' parameter. ");
        }

        if (signedHeaders is null)
        {
            missing.Append("Authorization header requires 'SignedHeaders' parameter. ");
        }

        if (request.Headers["X-Amz-Date"].ToString().Length == 0 && request.Headers.Date.ToString().Length == 0)
        {
            missing.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        if (missing.Length == 0 && authorization.StartsWith(SigV4Canonical.Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        if (missing.Length == 0)
        {
            missing.Append("Unsupported Authorization Type ");
        }

        return missing.Append("Authorization=").Append(authorization).ToString();
    }

    /// <summary>The canonical request as the gateway sees this request: the target as it arrived, the payload hash the client declared or the body's.</summary>
    public static string CanonicalRequest(HttpContext http, string signedHeaders, ReadOnlySpan<byte> body)
    {
        var request = http.Request;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var declared = request.Headers["X-Amz-Content-Sha256"].ToString();
        return SigV4Canonical.CanonicalRequest(request.Method, raw, request.Headers, signedHeaders, declared.Length > 0 ? declared : SigV4Canonical.Hex(SHA256.HashData(body)));
    }

    private static bool TryParseHeader(string authorization, out string? credential, out string? signedHeaders, out string? signature, out string malformed)
    {
        credential = signedHeaders = signature = null;
        malformed = string.Empty;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return true;
        }

        foreach (var part in authorization[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                // AWS never echoes a pair that may be a secret; it shows its hash.
                malformed = "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '"
                    + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(part))) + "'.";
                return false;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential":
                    credential = value;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    break;
                case "Signature":
                    signature = value;
                    break;
            }
        }

        return true;
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
