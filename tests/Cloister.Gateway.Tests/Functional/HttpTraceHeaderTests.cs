using System.Collections.Immutable;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// X-Ray's API Gateway page: "For all incoming requests, API Gateway adds a tracing header to incoming HTTP requests that
/// don't already have one"; HTTP and HTTP_PROXY backends receive it, a client's own header as sent.
/// </summary>
public sealed class HttpTraceHeaderTests
{
    [Theory]
    [InlineData(IntegrationType.HttpProxy)]
    [InlineData(IntegrationType.Http)]
    public async Task Backend_TraceHeader_AddedWhenAbsentAndKeptWhenSent(IntegrationType type)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var integration = Http(type, "GET", $"http://127.0.0.1:{backend.Port}/t", 29_000, ImmutableDictionary<string, string>.Empty, Response("200", null));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/t", Method("GET", integration)))));
        var client = harness.Client(GatewayHarness.EniA);
        const string Sent = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
        using var traced = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/t");
        traced.Headers.Add("X-Amzn-Trace-Id", Sent);

        Assert.Equal(200, (int)(await client.GetAsync($"https://{PrivateHost()}/dev/t")).StatusCode);
        Assert.Equal(200, (int)(await client.SendAsync(traced)).StatusCode);

        var seen = backend.Requests.Select(r => r.GetProperty("headers").GetProperty("x-amzn-trace-id").GetString()).ToList();
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", seen[0]);
        Assert.Equal(Sent, seen[1]);
    }
}
