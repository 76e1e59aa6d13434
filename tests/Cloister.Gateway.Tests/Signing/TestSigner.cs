using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloister.Gateway.Tests.Signing;

/// <summary>
/// An independent Signature Version 4 signer (written from AWS's description of the algorithm, not from the
/// gateway's code), checked against AWS's published test vectors before it is trusted to sign test requests.
/// </summary>
public static class TestSigner
{
    /// <summary>Signs <paramref name="request"/> in place: sets X-Amz-Date, X-Amz-Security-Token when given, and Authorization.</summary>
    public static void Sign(HttpRequestMessage request, string accessKey, string secret, string? sessionToken, string region, DateTimeOffset at, string service = "execute-api")
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (sessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", sessionToken);
        }

        var uri = request.RequestUri!;
        var host = request.Headers.Host ?? uri.Authority;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-date"] = amzDate };
        if (sessionToken is not null)
        {
            headers["x-amz-security-token"] = sessionToken;
        }

        var body = request.Content is null ? [] : request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body, accessKey, secret, region, service, amzDate));
    }

    /// <summary>A presigned URL for GET <paramref name="url"/>: the signature in X-Amz-* query parameters, <c>host</c> the only signed header.</summary>
    public static string Presign(string url, string host, string accessKey, string secret, string? sessionToken, string region, DateTimeOffset at, int expires, string service = "execute-api")
    {
        var uri = new Uri(url);
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var parameters = $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={Encode($"{accessKey}/{amzDate[..8]}/{region}/{service}/aws4_request")}&X-Amz-Date={amzDate}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host"
            + (sessionToken is null ? string.Empty : "&X-Amz-Security-Token=" + Encode(sessionToken));
        var query = uri.Query.TrimStart('?');
        query = query.Length == 0 ? parameters : query + "&" + parameters;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host };
        var authorization = Authorization("GET", uri.AbsolutePath, query, headers, [], accessKey, secret, region, service, amzDate);
        var signature = authorization[(authorization.LastIndexOf('=') + 1)..];
        return $"{uri.GetLeftPart(UriPartial.Path)}?{query}&X-Amz-Signature={signature}";
    }

    /// <summary>The Authorization header for a request given as its parts; <paramref name="rawPath"/> as sent on the wire.</summary>
    public static string Authorization(string method, string rawPath, string rawQuery, SortedDictionary<string, string> headers, byte[] body, string accessKey, string secret, string region, string service, string amzDate)
    {
        var date = amzDate[..8];
        var query = string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: p.Length > 1 ? Encode(Uri.UnescapeDataString(p[1])) : string.Empty))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var path = string.Join('/', rawPath.Split('/').Select(Encode));
        var canonicalHeaders = string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"));
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"{method}\n{(path.Length == 0 ? "/" : path)}\n{query}\n{canonicalHeaders}\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
