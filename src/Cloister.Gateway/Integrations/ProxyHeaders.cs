using System.Collections.Frozen;
using Cloister.Model.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// What REST APIs do to headers between the client and an integration: the table of headers "dropped, remapped, or
/// otherwise modified" in "Amazon API Gateway important notes" (REST APIs), and what AWS is seen to send (HTTP_PROXY
/// responses carry <c>x-amzn-Remapped-Content-Length</c>, <c>-Date</c>, <c>-Connection</c> and the backend's
/// <c>x-amzn-Remapped-x-amzn-RequestId</c>; the method response headers a non-proxy integration maps are renamed too).
/// See docs/gateway.md, "Header remapping".
/// </summary>
internal static class ProxyHeaders
{
    /// <summary>
    /// The <c>X-Forwarded-For</c> a proxy integration receives: the client's address appended to the client's own header,
    /// as API Gateway appends it (ustayready/fireprox#12: <c>1.1.1.1, {real ip}</c> at an HTTP_PROXY backend;
    /// aws-solutions/aws-waf-security-automations#123 in a Lambda event), so only the last address is the gateway's word.
    /// A string is made only when the client sent one.
    /// </summary>
    public static string ForwardedFor(IHeaderDictionary headers, string sourceIp) =>
        headers["X-Forwarded-For"] is { Count: > 0 } sent && sent.ToString() is { Length: > 0 } chain
            ? string.Concat(chain, ", ", sourceIp)
            : sourceIp;

    /// <summary>The <c>X-Forwarded-Port</c> a proxy integration receives: the port every client reaches the gateway on.</summary>
    public const string ForwardedPort = "443";

    /// <summary>The <c>X-Forwarded-Proto</c> a proxy integration receives: every client speaks HTTPS to the gateway.</summary>
    public const string ForwardedProto = "https";

    /// <summary>The prefix a remapped response header is sent under: <c>WWW-Authenticate</c> becomes <c>x-amzn-Remapped-WWW-Authenticate</c>.</summary>
    public const string RemappedPrefix = "x-amzn-Remapped-";

    /// <summary>How a Signature Version 4 <c>Authorization</c> header begins: the algorithm and the space before <c>Credential=</c>.</summary>
    private const string SigV4Prefix = "AWS4-HMAC-SHA256 ";

    /// <summary>
    /// Response headers sent under <see cref="RemappedPrefix"/>: the table's "Remapped" rows, and the headers the gateway
    /// writes itself (<c>Content-Length</c>, <c>Date</c>, <c>x-amzn-RequestId</c>), whose integration values would
    /// otherwise be lost or clash.
    /// </summary>
    private static readonly FrozenSet<string> RemappedResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Max-Forwards", "Server", "User-Agent", "WWW-Authenticate",
        "x-amzn-RequestId");

    /// <summary>
    /// Method response headers of AWS and HTTP integrations (mapped from <c>method.response.header.X</c> or set through
    /// <c>$context.responseOverride.header</c>) sent under <see cref="RemappedPrefix"/>, as LocalStack's AWS-validated
    /// snapshots <c>test_apigateway_header_remapping_http[HTTP]</c> and <c>_aws[AWS]</c> show.
    /// </summary>
    private static readonly FrozenSet<string> RemappedNonProxyResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Expect", "Host", "Max-Forwards", "Proxy-Authenticate", "Server",
        "Trailer", "Upgrade", "User-Agent", "WWW-Authenticate");

    /// <summary>MOCK's method response headers sent under <see cref="RemappedPrefix"/>: those the gateway writes itself (LocalStack's AWS-validated handler).</summary>
    private static readonly FrozenSet<string> RemappedMockResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Content-Length", "Date", "Server");

    /// <summary>Method response headers of non-proxy integrations that are not sent at all.</summary>
    private static readonly FrozenSet<string> DroppedNonProxyResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "Transfer-Encoding");

    /// <summary>Response headers the table drops for both proxy columns, with the other hop-by-hop headers.</summary>
    private static readonly FrozenSet<string> DroppedResponse = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Expect", "Host", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via", "Keep-Alive", "Proxy-Connection");

    /// <summary>Hop-by-hop headers and the message's own framing (<c>Host</c>, <c>Content-Length</c>): never copied onto a backend request.</summary>
    private static readonly FrozenSet<string> HopByHop = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Content-Length");

    /// <summary>
    /// Client headers the table drops for every integration (the Lambda column's; HTTP_PROXY drops more), with the body's
    /// framing (<c>Content-Length</c>, <c>Transfer-Encoding</c>): REST APIs' proxy events carry no <c>Content-Length</c>
    /// (aws/aws-lambda-dotnet#559, #1929), and none of these is seen by templates (<c>$input.params</c>) or
    /// <c>method.request.header.X</c> (LocalStack's AWS-validated snapshot <c>test_apigateway_header_remapping_http</c>).
    /// </summary>
    private static readonly FrozenSet<string> DroppedRequest = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Content-Length", "Content-MD5", "Expect", "Max-Forwards", "Proxy-Authenticate", "Server", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "WWW-Authenticate");

    /// <summary>
    /// Client headers an HTTP_PROXY backend does not receive: the table's HTTP_PROXY column (<c>Content-Encoding</c>,
    /// <c>Via</c> and <c>Transfer-Encoding</c> besides the common ones), <c>Host</c> (the backend's own) and the hop-by-hop
    /// headers; <c>Content-Length</c> is the body's own.
    /// </summary>
    private static readonly FrozenSet<string> DroppedHttpProxyRequest = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        [.. DroppedRequest, .. HopByHop, "Content-Encoding", "Via"]);

    /// <summary>
    /// Headers an HTTP or HTTP_PROXY backend never receives, even when a mapping (<c>integration.request.header.X</c>) or a
    /// template's <c>$context.requestOverride.header.X</c> sets them (<c>Expect</c>, <c>Proxy-Authenticate</c>, <c>TE</c>, and
    /// <c>Via</c>, which Lambda events keep): the mapping is accepted, and dropped after the mappings are applied, as
    /// LocalStack's execute-api handler does (its header-remapping tests are validated against AWS).
    /// </summary>
    private static readonly FrozenSet<string> DroppedFromHttpBackend = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "Expect", "Proxy-Authenticate", "TE", "Via");

    /// <summary>
    /// Request headers API Gateway refuses to map (<c>integration.request.header.X</c>): a configuration error (500) rather
    /// than a request sent, as LocalStack's AWS-validated snapshots <c>test_apigateway_header_remapping_http</c> and
    /// <c>_aws</c> show; Lambda integrations refuse more.
    /// </summary>
    private static readonly FrozenSet<string> RefusedRequestMapping = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "Content-Length", "Transfer-Encoding");

    private static readonly FrozenSet<string> RefusedLambdaRequestMapping = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        [.. RefusedRequestMapping, "Authorization", "Connection", "Expect", "Proxy-Authenticate", "TE"]);

    /// <summary>The first header <paramref name="integration"/> maps that API Gateway refuses to map, or null.</summary>
    public static string? RefusedMapping(Integration integration)
    {
        const string Prefix = "integration.request.header.";
        var refused = integration.Type is IntegrationType.Aws or IntegrationType.AwsProxy ? RefusedLambdaRequestMapping : RefusedRequestMapping;
        foreach (var (target, _) in integration.RequestParameters)
        {
            if (target.StartsWith(Prefix, StringComparison.Ordinal) && refused.Contains(target[Prefix.Length..]))
            {
                return target[Prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>
    /// Takes the client's <c>Authorization</c> header off the request before the integration when it carries a Signature
    /// Version 4 signature (<c>AWS4-HMAC-SHA256 …</c>) or the method is AWS_IAM: the important notes' header table drops it
    /// toward every integration then (an API Gateway engineer's answer to "How do you pass Authorization header through
    /// API Gateway to HTTP endpoint?": "the Authorization header can only be forwarded for methods that do not require AWS
    /// authentication", the signature is not exposed). The Lambda proxy event, an HTTP_PROXY backend, templates and
    /// <c>method.request.header.Authorization</c> mappings then see none; authorizers, which ran before, saw it as sent.
    /// Any other value (<c>Bearer …</c>) stays. Allocates nothing when there is no such header.
    /// </summary>
    public static void DropSignature(IHeaderDictionary headers, string authorizationType)
    {
        var authorization = headers.Authorization;
        if (authorization.Count == 0)
        {
            return;
        }

        var signed = authorizationType == "AWS_IAM";
        foreach (var value in authorization)
        {
            signed |= value is not null && value.StartsWith(SigV4Prefix, StringComparison.Ordinal);
        }

        if (signed)
        {
            headers.Remove(HeaderNames.Authorization);
        }
    }

    /// <summary>Whether <paramref name="name"/> is a hop-by-hop or framing header (see <see cref="HopByHop"/>).</summary>
    public static bool IsHopByHop(string name) => HopByHop.Contains(name);

    /// <summary>
    /// Whether the client's header <paramref name="name"/> is left out of the Lambda proxy event (and a REQUEST authorizer's),
    /// and out of what templates and parameter mappings see of the method request.
    /// </summary>
    public static bool DroppedFromEvent(string name) => DroppedRequest.Contains(name);

    /// <summary>Whether a header <paramref name="name"/> set by a mapping or request override is left off an HTTP or HTTP_PROXY backend request.</summary>
    public static bool DroppedFromHttpMapping(string name) => DroppedFromHttpBackend.Contains(name);

    /// <summary>Whether the client's header <paramref name="name"/> is not sent to an HTTP_PROXY backend.</summary>
    public static bool DroppedFromHttpProxy(string name) => DroppedHttpProxyRequest.Contains(name);

    /// <summary>
    /// The integration's response headers as the client receives them: dropped ones left out, remapped ones renamed. Returns
    /// <paramref name="headers"/> itself when none needs either (a Lambda response of custom headers allocates nothing).
    /// </summary>
    public static List<KeyValuePair<string, string>> RemapResponse(List<KeyValuePair<string, string>> headers) =>
        Remap(headers, RemappedResponse, DroppedResponse);

    /// <summary>
    /// A non-proxy integration's method response headers as the client receives them (see <see cref="RemappedNonProxyResponse"/>,
    /// <see cref="RemappedMockResponse"/>); returns <paramref name="headers"/> itself when none needs renaming or dropping.
    /// </summary>
    public static List<KeyValuePair<string, string>> RemapMethodResponse(List<KeyValuePair<string, string>> headers, IntegrationType? type) =>
        Remap(headers, type == IntegrationType.Mock ? RemappedMockResponse : RemappedNonProxyResponse, DroppedNonProxyResponse);

    private static List<KeyValuePair<string, string>> Remap(List<KeyValuePair<string, string>> headers, FrozenSet<string> remapped, FrozenSet<string> dropped)
    {
        // A loop rather than FindIndex: a lambda capturing the sets would allocate on every response.
        var index = 0;
        while (index < headers.Count && !remapped.Contains(headers[index].Key) && !dropped.Contains(headers[index].Key))
        {
            index++;
        }

        if (index == headers.Count)
        {
            return headers;
        }

        var sent = new List<KeyValuePair<string, string>>(headers.Count);
        sent.AddRange(headers.Take(index));
        for (var i = index; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (remapped.Contains(name))
            {
                sent.Add(new(RemappedPrefix + name, value));
            }
            else if (!dropped.Contains(name))
            {
                sent.Add(headers[i]);
            }
        }

        return sent;
    }
}
