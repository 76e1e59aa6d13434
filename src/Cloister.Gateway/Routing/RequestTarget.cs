using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Gateway.Routing;

/// <summary>
/// The request path as the client sent it, escapes kept, which API Gateway routes on and passes on
/// (<c>path</c>, <c>requestContext.path</c>, <c>pathParameters</c> of a proxy event). Kestrel's <c>Request.Path</c>
/// is decoded and has its dot segments removed, so the path is read from the raw request target instead.
/// </summary>
internal static class RequestTarget
{
    /// <summary>
    /// The text holding the path and the path's length in it (the raw target, whose query follows the path); Kestrel's
    /// decoded path for a target not in origin form or with a dot segment (<c>/a/../b</c>), which it has already resolved.
    /// </summary>
    public static (string Text, int PathLength) Path(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is ['/', ..])
        {
            var query = raw.IndexOf('?', StringComparison.Ordinal);
            var length = query < 0 ? raw.Length : query;
            if (!HasDotSegment(raw.AsSpan(0, length)))
            {
                return (raw, length);
            }
        }

        var path = context.Request.Path.Value ?? string.Empty;
        return (path, path.Length);
    }

    /// <summary>
    /// The length, in characters, of the URL the client called: <c>https://</c>, the <c>Host</c> and the request target as
    /// sent (path and query), what the quotas table's URL length counts.
    /// </summary>
    public static int UrlLength(HttpContext context) =>
        "https://".Length + (context.Request.Headers.Host is [{ } host] ? host.Length : 0)
        + (context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0);

    private static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        foreach (var range in path.Split('/'))
        {
            if (IsDotSegment(path[range]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>.</c> or <c>..</c>, each dot possibly written <c>%2e</c>.</summary>
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        while (!segment.IsEmpty && dots < 3)
        {
            if (segment[0] == '.')
            {
                segment = segment[1..];
            }
            else if (segment.StartsWith("%2e", StringComparison.OrdinalIgnoreCase))
            {
                segment = segment[3..];
            }
            else
            {
                return false;
            }

            dots++;
        }

        return segment.IsEmpty && dots is 1 or 2;
    }
}
