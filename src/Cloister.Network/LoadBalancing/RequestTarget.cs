using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The path and query of a request as the client wrote them. Kestrel's <see cref="HttpRequest.Path"/> is decoded once,
/// so rebuilding a target from it would turn <c>%3F</c> into a query, <c>%23</c> into a fragment and <c>%2541</c> into
/// <c>%41</c>; the load balancer passes on what it was sent. Its rules match the same path normalized as RFC 3986 says
/// (<see cref="NormalizedPath"/>), not Kestrel's decoding.
/// </summary>
internal static class RequestTarget
{
    /// <summary>Keeps the target exactly as given: neither decoded nor normalized (no dot-segment removal).</summary>
    public static UriCreationOptions Verbatim { get; } = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The raw origin-form target (<c>/path?query</c>); for another form (absolute), the path and query re-encoded.</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
            ? raw
            : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();

    /// <summary>The path of <see cref="Of"/>, before its query: what listener rules see once normalized (<see cref="NormalizedPath"/>).</summary>
    public static string PathOf(HttpContext context)
    {
        var target = Of(context);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? target : target[..question];
    }
}
