using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>Listeners: sockets handed in by the fabric, TLS versions, and a real client written by others (curl).</summary>
public sealed class ListenerTests
{
    private static RestApi HealthApi() =>
        Api(AllowFrom(VpceA), Resource("res0000001", "/health", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"vpce":"$context.identity.vpceId"}""")))));

    [Fact]
    public async Task StartAsync_ListeningSocketHandedIn_ServesItWithItsEndpoint()
    {
        // The fabric opens the socket inside the VPC's namespace and hands over its descriptor; the gateway owns it from then on.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 0));
        socket.Listen(128);
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var handle = (ulong)socket.Handle;
        socket.SafeHandle.SetHandleAsInvalid();
        var root = Path.Combine(Path.GetTempPath(), "cloister-gateway-tests", Guid.NewGuid().ToString("N"));
        await using var server = await GatewayServer.StartAsync(
            new GatewayOptions
            {
                Certificate = TestCertificates.Server,
                Listeners = [new GatewayListener(VpceA, VpcA, null, handle)],
                Lambda = new InProcessLambda(),
                State = new StatePaths(root),
            },
            ModelOf(HealthApi()));
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(new IPEndPoint(IPAddress.Parse("127.0.0.5"), port), token);
                return new NetworkStream(client, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificates.Validate(certificate, errors);
        using var http = new HttpClient(handler);

        var response = await http.GetAsync($"https://{PrivateHost()}/dev/health");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal($$"""{"vpce":"{{VpceA}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_NoListenersAndNoKey_ReportsEveryProblem()
    {
        var options = new GatewayOptions
        {
            Certificate = TestCertificates.Ca,
            Listeners = [new GatewayListener(VpceA, VpcA, null, null)],
            Lambda = new InProcessLambda(),
            State = new StatePaths("/nonexistent"),
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => GatewayServer.StartAsync(options, ModelOf(HealthApi())));

        Assert.Contains("no private key", error.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of EndPoint and SocketHandle", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tlsv1.2", "--tls-max", "1.2", 0)]
    [InlineData("--tlsv1.3", "--tls-max", "1.3", 0)]
    [InlineData("--tlsv1.0", "--tls-max", "1.1", 35)]
    public async Task Curl_TlsVersions_OnlyTls12AndLaterAccepted(string minimum, string maxOption, string maximum, int expectedExit)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(HealthApi()));

        var (exit, output, _) = await CurlHealthAsync(harness, minimum, maxOption, maximum);

        Assert.Equal(expectedExit, exit);
        if (expectedExit == 0)
        {
            Assert.Equal($$"""{"vpce":"{{VpceA}}"}""" + "\n200", output);
        }
    }

    [Fact]
    public async Task Curl_Http10OverTls_ServedAsHttp1()
    {
        // curl -0 offers only "http/1.0" in ALPN; the gateway used to end the handshake with no_application_protocol.
        await using var harness = await GatewayHarness.StartAsync(ModelOf(HealthApi()));

        var (exit, output, error) = await CurlHealthAsync(harness, "-0");

        Assert.True(exit == 0, error);
        Assert.Equal($$"""{"vpce":"{{VpceA}}"}""" + "\n200", output);
    }

    [Theory]
    [InlineData("http/1.0", "http/1.0")]
    [InlineData("h2,http/1.1", "http/1.1")]
    [InlineData("http/1.1,http/1.0", "http/1.1")]
    [InlineData("", "")]
    public async Task Handshake_ClientAlpnOffer_NegotiatesHttp1(string offered, string expected)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(HealthApi()));

        await using var tls = await HandshakeAsync(harness, offered);

        Assert.Equal(expected, tls.NegotiatedApplicationProtocol.ToString());
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /dev/health HTTP/1.0\r\nHost: {PrivateHost()}\r\n\r\n"));
        using var reader = new StreamReader(tls);
        var response = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
        Assert.EndsWith($$"""{"vpce":"{{VpceA}}"}""", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_ClientOffersNoProtocolOfOurs_RefusedAsNginxDoes()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(HealthApi()));

        await Assert.ThrowsAnyAsync<AuthenticationException>(async () => await (await HandshakeAsync(harness, "spdy/3")).DisposeAsync());
    }

    private static async Task<SslStream> HandshakeAsync(GatewayHarness harness, string offered)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA));
        var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, errors) => TestCertificates.Validate(certificate, errors));
        var options = new SslClientAuthenticationOptions { TargetHost = PrivateHost() };
        if (offered.Length > 0)
        {
            options.ApplicationProtocols = [.. offered.Split(',').Select(name => new SslApplicationProtocol(name))];
        }

        try
        {
            await tls.AuthenticateAsClientAsync(options);
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }

        return tls;
    }

    /// <summary>curl with <paramref name="options"/> to <c>/dev/health</c> through endpoint A; the body then the status on its own line.</summary>
    private static async Task<(int Exit, string Output, string Error)> CurlHealthAsync(GatewayHarness harness, params string[] options)
    {
        var pem = TestCertificates.WritePem(Path.Combine(harness.StateRoot, "pem"));
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var startInfo = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-sS", "--cacert", pem.CaFile, "--resolve", $"{PrivateHost()}:{port}:{GatewayHarness.EniA}", .. options, "-w", "\n%{http_code}", $"https://{PrivateHost()}:{port}/dev/health"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(startInfo)!;
        var output = curl.StandardOutput.ReadToEndAsync();
        var error = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync();
        return (curl.ExitCode, await output, await error);
    }
}
