using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Lambda proxy responses as functions really write them (a header in two spellings, a string flag, a status as text or
/// as a float, a null header value) and the trace header integration responses carry back, over real HTTPS.
/// </summary>
public sealed class ProxyResponseShapeTests
{
    private static async Task<(GatewayHarness Harness, HttpClient Client)> StartAsync(string function, string proxyResponse)
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("POST", LambdaProxy(function)))) with { BinaryMediaTypes = ["image/*"] };
        var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddFixed(function, proxyResponse);
        return (harness, harness.Client(GatewayHarness.EniA));
    }

    [Fact]
    public async Task Invoke_ContentTypeInTwoSpellings_OneHeaderWithTheFirstValue()
    {
        var (harness, client) = await StartAsync("f", """{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":"text/html"},"body":"hi"}""");
        await using var _ = harness;

        var response = await client.PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", Assert.Single(response.Content.Headers.GetValues("Content-Type")));
        Assert.Equal("hi", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("\"201\"")]
    [InlineData("201.0")]
    public async Task Invoke_StatusAsStringOrWholeFloat_SentWithThatStatus(string status)
    {
        var (harness, client) = await StartAsync("f", $$"""{"statusCode":{{status}},"body":"made"}""");
        await using var _ = harness;

        var response = await client.PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("made", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_NoStatusCode_Sent200()
    {
        var (harness, client) = await StartAsync("f", """{"headers":{"x-only":"headers"}}""");
        await using var _ = harness;

        var response = await client.PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("headers", Assert.Single(response.Headers.GetValues("x-only")));
    }

    [Fact]
    public async Task Invoke_Base64FlagAsString_BodyDecodedForABinaryAccept()
    {
        var (harness, client) = await StartAsync("f", """{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"AAH/","isBase64Encoded":"true"}""");
        await using var _ = harness;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim") { Content = new StringContent("{}") };
        request.Headers.Accept.ParseAdd("image/png");

        var response = await client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(new byte[] { 0, 1, 255 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Invoke_NullHeaderValue_ResponseWithoutThatHeader()
    {
        var (harness, client) = await StartAsync("f", """{"statusCode":200,"headers":{"x-null":null,"x-kept":"yes"},"body":"ok"}""");
        await using var _ = harness;

        var response = await client.PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("x-null"));
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("x-kept")));
    }

    [Fact]
    public async Task Invoke_LambdaProxyAnswer_CarriesTheTraceOfItsEvent()
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("POST", LambdaProxy("echo"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}"));

        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sent = evt.RootElement.GetProperty("headers").GetProperty("X-Amzn-Trace-Id").GetString();
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", sent);
        Assert.Equal(sent + ";Sampled=0", Assert.Single(response.Headers.GetValues("X-Amzn-Trace-Id")));
    }

    [Fact]
    public async Task Invoke_ClientTraceHeader_ReturnedAsSent()
    {
        var (harness, client) = await StartAsync("f", """{"statusCode":200,"body":"ok"}""");
        await using var _ = harness;
        const string Sent = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/claim") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amzn-Trace-Id", Sent);

        var response = await client.SendAsync(request);

        Assert.Equal(Sent, Assert.Single(response.Headers.GetValues("X-Amzn-Trace-Id")));
    }

    [Fact]
    public async Task Invoke_MockAnswerAndGatewayError_TraceHeaderOnTheAnswerOnly()
    {
        var api = Api(AllowFrom(VpceA), Resource("res0000001", "/health", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, "{}")))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty));
        var client = harness.Client(GatewayHarness.EniA);

        var answer = await client.GetAsync($"https://{PrivateHost()}/dev/health");
        var missing = await client.GetAsync($"https://{PrivateHost()}/dev/nothing");

        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$", Assert.Single(answer.Headers.GetValues("X-Amzn-Trace-Id")));
        await Expect.ErrorAsync(missing, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
        Assert.False(missing.Headers.Contains("X-Amzn-Trace-Id"));
    }
}
