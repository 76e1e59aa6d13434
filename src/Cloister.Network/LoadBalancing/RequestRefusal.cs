using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The requests an application load balancer answers itself before any rule sees them, with the statuses ELB's
/// troubleshooting guide gives: 400 when "the request header exceeded 16 K per request line, 16 K per single header, or
/// 64 K for the entire request header", 501 for a <c>Transfer-Encoding</c> other than <c>chunked</c> and
/// <c>identity</c>, 405 for <c>TRACE</c> ("not supported by Application Load Balancers") and 463 for an
/// <c>X-Forwarded-For</c> with more than 30 addresses. Sizes count characters as sent on HTTP/1.1: the request line
/// <c>METHOD target HTTP/1.1</c>, a header line <c>Name: value</c> (one per value when a header repeats), the whole
/// header every such line with its CRLF. HTTP/2 requests are measured as their HTTP/1.1 form.
/// </summary>
internal static class RequestRefusal
{
    public const int MaxRequestLine = 16 * 1024;
    public const int MaxHeaderLine = 16 * 1024;
    public const int MaxHeader = 64 * 1024;
    public const int MaxForwardedAddresses = 30;

    /// <summary>The status ELB answers <paramref name="request"/> with itself, or null when it goes on to the rules.</summary>
    public static int? StatusFor(HttpRequest request, string rawTarget)
    {
        if (request.Method.Length + rawTarget.Length + " HTTP/1.1".Length + 1 > MaxRequestLine || !HeadersFit(request.Headers))
        {
            return 400;
        }

        if (request.Headers.TryGetValue("Transfer-Encoding", out var codings) && !OnlyChunkedOrIdentity(codings))
        {
            return 501;
        }

        if (HttpMethods.IsTrace(request.Method))
        {
            return 405;
        }

        return ForwardedAddressCount(request.Headers["X-Forwarded-For"]) > MaxForwardedAddresses ? 463 : null;
    }

    private static bool HeadersFit(IHeaderDictionary headers)
    {
        var total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                var line = name.Length + ": ".Length + (value?.Length ?? 0);
                total += line + "\r\n".Length;
                if (line > MaxHeaderLine || total > MaxHeader)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool OnlyChunkedOrIdentity(StringValues lines)
    {
        foreach (var line in lines)
        {
            foreach (var coding in (line ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!coding.Equals("chunked", StringComparison.OrdinalIgnoreCase) && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The addresses in every <c>X-Forwarded-For</c> line, comma-separated; empty entries do not count.</summary>
    private static int ForwardedAddressCount(StringValues lines)
    {
        var count = 0;
        foreach (var line in lines)
        {
            count += (line ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length;
        }

        return count;
    }
}
