using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Requests Kestrel refuses before the gateway sees them (HTTP framing errors) answered in the gateway's words: Kestrel's
/// status, a JSON <c>{"message": ...}</c> body, the request ids, and the connection closed. Raw bytes over real TLS, since
/// no HTTP client sends such requests.
/// </summary>
public sealed class KestrelRefusalTests
{
    private static async Task<string> SendRawAsync(GatewayHarness harness, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA));
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => TestCertificates.Validate(certificate, errors));
        await tls.AuthenticateAsClientAsync(PrivateHost());
        await tls.WriteAsync(request);

        // The gateway answers and closes the connection, as Kestrel does after a refusal.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await tls.ReadAsync(buffer, deadline.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset after the answer (the client still had bytes in flight): what was read is the answer.
        }

        return text.ToString();
    }

    private static async Task<GatewayHarness> StartAsync()
    {
        var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("f"))))));
        harness.Lambda.AddEcho("f");
        return harness;
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "GET /dev/claim HTTP/1.1\r\n\r\n", "400 Bad Request", """{"message":"Bad Request"}""" },
        { $"GET /dev/cl\0aim HTTP/1.1\r\nHost: {PrivateHost()}\r\n\r\n", "400 Bad Request", """{"message":"Bad Request"}""" },
        { "NOT A REQUEST LINE\r\n\r\n", "400 Bad Request", """{"message":"Bad Request"}""" },
        { $"GET /dev/claim HTTP/1.1\r\nHost: {PrivateHost()}\r\nx-big: {new string('a', 70 * 1024)}\r\n\r\n", "431 Request Header Fields Too Large", """{"message":"Request Header Fields Too Large"}""" },
        { $"GET /dev/claim?q={new string('a', 20 * 1024)} HTTP/1.1\r\nHost: {PrivateHost()}\r\n\r\n", "414 URI Too Long", """{"message":"Request-URI Too Long"}""" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invoke_RequestKestrelRefuses_AnsweredInTheGatewaysWords(string request, string status, string body)
    {
        await using var harness = await StartAsync();

        var text = await SendRawAsync(harness, Encoding.Latin1.GetBytes(request));

        Assert.StartsWith("HTTP/1.1 " + status + "\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/json\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", text, StringComparison.Ordinal);
        Assert.Matches("\r\nx-amzn-RequestId: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\r\n", text);
        Assert.Matches("\r\nx-amz-apigw-id: [^\r\n]{15}=\r\n", text);
        Assert.DoesNotContain("x-amzn-ErrorType", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + body, text, StringComparison.Ordinal);
        Assert.Empty(harness.Lambda.Events);
    }

    /// <summary>curl, a client written by others, told to send no <c>Host</c> (<c>-H 'Host:'</c>).</summary>
    [Fact]
    public async Task Invoke_CurlWithoutHost_GatewaysJson400()
    {
        await using var harness = await StartAsync();
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var output = await Curl.RunAsync("-sS", "-k", "-D", "-", "-H", "Host:", "--resolve", $"{PrivateHost()}:{port}:{GatewayHarness.EniA}", $"https://{PrivateHost()}:{port}/dev/claim");

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", output, StringComparison.Ordinal);
        Assert.Matches("\r\nx-amzn-RequestId: [0-9a-f-]{36}\r\n", output);
        Assert.EndsWith("\r\n\r\n{\"message\":\"Bad Request\"}", output, StringComparison.Ordinal);
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_RefusedRequestAfterAGoodOne_GoodAnswerUntouchedThenTheGatewaysRefusal()
    {
        await using var harness = await StartAsync();
        var good = $"GET /dev/claim HTTP/1.1\r\nHost: {PrivateHost()}\r\n\r\n";
        const string NoHost = "GET /dev/claim HTTP/1.1\r\n\r\n";

        var text = await SendRawAsync(harness, Encoding.ASCII.GetBytes(good + NoHost));

        var refusal = text.IndexOf("HTTP/1.1 400 Bad Request\r\n", StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.True(refusal > 0, text);
        Assert.Contains("\"httpMethod\":\"GET\"", text[..refusal], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{\"message\":\"Bad Request\"}", text, StringComparison.Ordinal);
        Assert.Single(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_GoodRequestAfterGoodRequest_UntouchedOnOneConnection()
    {
        await using var harness = await StartAsync();
        var one = $"GET /dev/claim HTTP/1.1\r\nHost: {PrivateHost()}\r\n\r\n";
        var last = $"GET /dev/claim HTTP/1.1\r\nHost: {PrivateHost()}\r\nConnection: close\r\n\r\n";

        var text = await SendRawAsync(harness, Encoding.ASCII.GetBytes(one + last));

        Assert.Equal(2, text.Split("HTTP/1.1 200 OK\r\n").Length - 1);
        Assert.Equal(2, harness.Lambda.Events.Count);
    }
}
