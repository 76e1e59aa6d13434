using System.Collections.Frozen;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// What REST APIs do to headers between the client and a proxy integration (HTTP_PROXY, AWS_PROXY): the table of headers
/// "dropped, remapped, or otherwise modified" in "Amazon API Gateway important notes" (REST APIs), and what AWS is seen
/// to send (HTTP_PROXY responses carry <c>x-amzn-Remapped-Content-Length</c>, <c>-Date</c>, <c>-Connection</c> and the
/// backend's <c>x-amzn-Remapped-x-amzn-RequestId</c>). See docs/gateway.md, "Header remapping".
/// </summary>
internal static class ProxyHeaders
{
    /// <summary>The prefix a remapped response header is sent under: <c>WWW-Authenticate</c> becomes <c>x-amzn-Remapped-WWW-Authenticate</c>.</summary>
    public const string RemappedPrefix = "x-amzn-Remapped-";

    /// <summary>
    /// Response headers sent under <see cref="RemappedPrefix"/>: the table's "Remapped" rows, and the headers the gateway
    /// writes itself (<c>Content-Length</c>, <c>Date</c>, <c>x-amzn-RequestId</c>), whose integration values would
    /// otherwise be lost or clash.
    /// </summary>
    private static readonly FrozenSet<string> RemappedResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Max-Forwards", "Server", "User-Agent", "WWW-Authenticate",
        "x-amzn-RequestId");

    /// <summary>Response headers the table drops for both proxy columns, with the other hop-by-hop headers.</summary>
    private static readonly FrozenSet<string> DroppedResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Expect", "Host", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via", "Keep-Alive", "Proxy-Connection");

    /// <summary>Hop-by-hop headers and the message's own framing (<c>Host</c>, <c>Content-Length</c>): never copied onto a backend request.</summary>
    private static readonly FrozenSet<string> HopByHop = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Content-Length");

    /// <summary>Client headers the table drops for every integration (the Lambda column's; HTTP_PROXY drops more).</summary>
    private static readonly FrozenSet<string> DroppedRequest = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Content-MD5", "Expect", "Max-Forwards", "Proxy-Authenticate", "Server", "TE", "Trailer", "Upgrade", "WWW-Authenticate");

    /// <summary>
    /// Client headers an HTTP_PROXY backend does not receive: the table's HTTP_PROXY column (<c>Content-Encoding</c>,
    /// <c>Via</c> and <c>Transfer-Encoding</c> besides the common ones), <c>Host</c> (the backend's own) and the hop-by-hop
    /// headers; <c>Content-Length</c> is the body's own.
    /// </summary>
    private static readonly FrozenSet<string> DroppedHttpProxyRequest = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        [.. DroppedRequest, .. HopByHop, "Content-Encoding", "Via"]);

    /// <summary>Whether <paramref name="name"/> is a hop-by-hop or framing header (see <see cref="HopByHop"/>).</summary>
    public static bool IsHopByHop(string name) => HopByHop.Contains(name);

    /// <summary>Whether the client's header <paramref name="name"/> is left out of the Lambda proxy event (and a REQUEST authorizer's).</summary>
    public static bool DroppedFromEvent(string name) => DroppedRequest.Contains(name);

    /// <summary>Whether the client's header <paramref name="name"/> is not sent to an HTTP_PROXY backend.</summary>
    public static bool DroppedFromHttpProxy(string name) => DroppedHttpProxyRequest.Contains(name);

    /// <summary>
    /// The integration's response headers as the client receives them: dropped ones left out, remapped ones renamed. Returns
    /// <paramref name="headers"/> itself when none needs either (a Lambda response of custom headers allocates nothing).
    /// </summary>
    public static List<KeyValuePair<string, string>> RemapResponse(List<KeyValuePair<string, string>> headers)
    {
        var index = headers.FindIndex(static h => RemappedResponse.Contains(h.Key) || DroppedResponse.Contains(h.Key));
        if (index < 0)
        {
            return headers;
        }

        var sent = new List<KeyValuePair<string, string>>(headers.Count);
        sent.AddRange(headers.Take(index));
        for (var i = index; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (RemappedResponse.Contains(name))
            {
                sent.Add(new(RemappedPrefix + name, value));
            }
            else if (!DroppedResponse.Contains(name))
            {
                sent.Add(headers[i]);
            }
        }

        return sent;
    }
}
