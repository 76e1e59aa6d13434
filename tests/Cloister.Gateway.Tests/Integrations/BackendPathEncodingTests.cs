using System.Collections.Immutable;
using System.Net;
using System.Text;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Integrations;

/// <summary>
/// How a decoded path parameter is written into an HTTP(_PROXY) integration URI: only what cannot stand in a path as itself
/// is escaped, and whatever the client sent reaches a real backend as the same decoded path.
/// </summary>
public sealed class BackendPathEncodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a/b/c", "a/b/c")]
    [InlineData("a b", "a%20b")]
    [InlineData("100%", "100%25")]
    [InlineData("%2F", "%252F")]
    [InlineData("what?now", "what%3Fnow")]
    [InlineData("tag#1", "tag%231")]
    [InlineData("test+alias@example.com", "test+alias@example.com")]
    [InlineData("c:d;e=f,g&h$i!j*k'(l)~m", "c:d;e=f,g&h$i!j*k'(l)~m")]
    [InlineData("q\"<>[]\\^`{|}", "q%22%3C%3E%5B%5D%5C%5E%60%7B%7C%7D")]
    [InlineData("tab\there\u007f", "tab%09here%7F")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\u4e2d", "%E4%B8%AD")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    [InlineData("", "")]
    public void Escape_DecodedValue_EscapesOnlyWhatAPathCannotHold(string value, string expected)
    {
        Assert.Equal(expected, BackendPathEncoding.Escape(value));
    }

    [Fact]
    public void Escape_LoneSurrogate_WritesReplacementCharacter()
    {
        Assert.Equal("a%EF%BF%BDb", BackendPathEncoding.Escape("a\ud800b"));
    }

    [Fact]
    public void Escape_RandomStrings_DecodeBackToThemselves()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 10_000; i++)
        {
            var value = RandomValue(random, allowDotSegments: true);

            var escaped = BackendPathEncoding.Escape(value);

            Assert.Equal(value, Uri.UnescapeDataString(escaped));
            Assert.DoesNotContain(escaped, c => c is '?' or '#' or ' ' or '\\' or > '\u007e' or < '\u0021');
        }
    }

    /// <summary>
    /// 2,000 random path values (ASCII punctuation, controls, letters beyond ASCII, surrogate pairs), each sent by a client
    /// fully escaped through an HTTP_PROXY <c>{proxy+}</c>: the backend's decoded path is the value itself.
    /// </summary>
    [Fact]
    public async Task HttpProxy_RandomProxyValues_BackendDecodesTheSameValue()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/v1/{{proxy}}", 29_000,
            ImmutableDictionary<string, string>.Empty.Add("integration.request.path.proxy", "method.request.path.proxy"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/{proxy+}", Method("ANY", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var client = harness.Client(GatewayHarness.EniA);
        var random = new Random(1124);
        var values = Enumerable.Range(0, 2_000).Select(_ => RandomValue(random, allowDotSegments: false)).ToList();

        await Parallel.ForEachAsync(values, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (value, cancellationToken) =>
        {
            var sent = string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
            using var response = await client.GetAsync(new Uri($"https://{PrivateHost()}/dev/items/{sent}"), cancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} for {sent}");
        });

        // Decoded by the backend's server, the path is the value; on the wire, it is escaped only as BackendPathEncoding says.
        var seen = backend.Requests.Select(r => r.GetProperty("path").GetString()).ToHashSet(StringComparer.Ordinal);
        var missing = values.Where(v => !seen.Contains("/v1/items/" + v)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} values arrived otherwise, e.g. {string.Join(" | ", missing.Take(3).Select(BackendPathEncoding.Escape))}");
        var targets = backend.Requests.Select(r => r.GetProperty("rawTarget").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.All(values, v => Assert.Contains("/v1/items/" + BackendPathEncoding.Escape(v), targets));
    }

    /// <summary>
    /// A <c>{proxy+}</c> whose decoded value holds <c>.</c> or <c>..</c> segments (sent as <c>..%2F</c>): the backend's raw
    /// request target has them where they were substituted, not removed by URI handling on the way.
    /// </summary>
    [Theory]
    [InlineData("..%2Fadmin", "/v1/items/../admin")]
    [InlineData("a%2F..%2F..%2Fetc%2Fpasswd", "/v1/items/a/../../etc/passwd")]
    [InlineData(".%2Fx", "/v1/items/./x")]
    [InlineData("x%2F..", "/v1/items/x/..")]
    [InlineData("x/..%2F", "/v1/items/x/../")]
    public async Task HttpProxy_DotSegmentsInProxyValue_ReachBackendAsSubstituted(string sent, string target)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.HttpProxy, "ANY", $"http://127.0.0.1:{backend.Port}/v1/{{proxy}}", 29_000,
            ImmutableDictionary<string, string>.Empty.Add("integration.request.path.proxy", "method.request.path.proxy"));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/{proxy+}", Method("ANY", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        using var response = await harness.Client(GatewayHarness.EniA).GetAsync(new Uri($"https://{PrivateHost()}/dev/items/{sent}?q=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(target + "?q=1", Assert.Single(backend.Requests).GetProperty("rawTarget").GetString());
    }

    /// <summary>A path parameter mapped from a query string whose value is <c>.</c> or <c>..</c> stays a segment of its own.</summary>
    [Theory]
    [InlineData("..", "/v1/../end")]
    [InlineData(".", "/v1/./end")]
    [InlineData("...", "/v1/.../end")]
    public async Task Http_DotValueMappedIntoPath_ReachesBackendAsSubstituted(string value, string target)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(IntegrationType.Http, "GET", $"http://127.0.0.1:{backend.Port}/v1/{{id}}/end", 29_000,
            ImmutableDictionary<string, string>.Empty.Add("integration.request.path.id", "method.request.querystring.id"),
            Response("200", null));
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/thing", Method("GET", integration)));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        using var response = await harness.Client(GatewayHarness.EniA).GetAsync(new Uri($"https://{PrivateHost()}/dev/thing?id={value}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(target, Assert.Single(backend.Requests).GetProperty("rawTarget").GetString());
    }

    /// <summary>
    /// One to three non-empty segments; without dot segments when <paramref name="allowDotSegments"/> is false (a <c>.</c>
    /// or <c>..</c> segment is resolved by URI handling on the way, which is not what this encoding decides).
    /// </summary>
    private static string RandomValue(Random random, bool allowDotSegments)
    {
        const string Ascii = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~abcXYZ019\t\u0001\u007f";
        string[] beyond = ["\u00e9", "\u00fc", "\u4e2d", "\u20ac", "\U0001F600", "\uFFFD"];
        var segments = new string[random.Next(1, 4)];
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = new StringBuilder();
            do
            {
                segment.Clear();
                var length = random.Next(1, 9);
                for (var c = 0; c < length; c++)
                {
                    if (random.Next(5) == 0)
                    {
                        segment.Append(beyond[random.Next(beyond.Length)]);
                    }
                    else
                    {
                        var ch = Ascii[random.Next(Ascii.Length)];
                        segment.Append(ch == '/' ? '-' : ch);
                    }
                }
            }
            while (!allowDotSegments && segment.ToString() is "." or "..");
            segments[s] = segment.ToString();
        }

        return string.Join('/', segments);
    }
}
