using System.Net.Sockets;
using System.Text;
using Cloister.Certificates;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model.Security;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// TLS as API Gateway's private endpoints and private custom domain names serve it, through <c>openssl s_client</c> and raw
/// sockets: the certificate for each name a private API is called by, SNI, the TLS_1_2 security policy's versions and
/// ciphers, a client certificate nobody asked for, renegotiation and resumption, stalled handshakes and plaintext on the TLS port.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private const string DomainName = "api.corp.internal";
    private const string PublicName = "public.corp.internal";
    private const string Tls13Name = "tls13.corp.internal";
    private const string Tls10Name = "tls10.corp.internal";
    private const string StrictName = "strict.corp.internal";
    private const string CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0000-4000-8000-000000000002";
    private static readonly string DomainArn = $"arn:aws:apigateway:{Region}:{Account}:/domainnames/{DomainName}+dn00000009";
    private static readonly string StrictArn = $"arn:aws:apigateway:{Region}:{Account}:/domainnames/{StrictName}+dn00000010";
    private const string PrivateHostForTheory = $"{ApiId}.execute-api.{Region}.amazonaws.com";
    private static readonly string EndpointName = $"{VpceA}-abcdefgh.execute-api.{Region}.vpce.amazonaws.com";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cloister-gateway-tls", Guid.NewGuid().ToString("N"));
    private readonly SandboxCertificateAuthority _ca;
    private readonly string _trust;

    public TlsTests()
    {
        _ca = SandboxCertificateAuthority.LoadOrCreate(Path.Combine(_folder, "ca"));
        _trust = Path.Combine(_folder, "trust.pem");
        File.WriteAllText(_trust, _ca.Root.ExportCertificatePem() + "\n" + TestCertificates.Ca.ExportCertificatePem() + "\n");
    }

    public static TheoryData<string, string> ExecuteApiNames => new()
    {
        { PrivateHost(), string.Empty },
        { $"{ApiId}-{VpceA}.execute-api.{Region}.amazonaws.com", string.Empty },
        { EndpointName, $"x-apigw-api-id: {ApiId}\r\n" },
    };

    [Theory]
    [MemberData(nameof(ExecuteApiNames))]
    public async Task OpenSsl_ExecuteApiNames_CertificateVerifiesAndApiAnswers(string name, string extraHeader)
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(name, extraHeader), "-servername", name, "-verify_hostname", name, "-verify_return_error");

        Assert.True(result.Connected, result.Error);
        Assert.Equal("0 (ok)", result.Line("Verify return code:"));
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_CustomDomainSni_PresentsTheDomainsCertificate()
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(DomainName), "-servername", DomainName, "-verify_hostname", DomainName, "-verify_return_error");

        Assert.Equal("0 (ok)", result.Line("Verify return code:"));
        Assert.Contains($"subject=CN = {DomainName}", result.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_NoSni_PresentsExecuteApiCertificateAndRoutesByHost()
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(DomainName), "-noservername");

        Assert.True(result.Connected, result.Error);
        Assert.Contains($"subject=CN = *.execute-api.{Region}.amazonaws.com", result.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
        Assert.Contains($"\"domain\":\"{DomainName}\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_SniAndHostNameDifferentDomains_RoutesByHost()
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(PublicName), "-servername", DomainName);

        Assert.Contains($"subject=CN = {DomainName}", result.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
        Assert.Contains($"\"domain\":\"{PublicName}\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_SniOfADomainHostOfNone_Forbidden()
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get("unknown.corp.example"), "-servername", DomainName);

        // Neither a custom name nor an execute-api name: API Gateway's 403 for a host it does not serve through the endpoint.
        Assert.Contains("HTTP/1.1 403 ", result.Output, StringComparison.Ordinal);
        Assert.Contains("""{"message":"Forbidden"}""", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task OpenSsl_TlsOlderThan12_RefusedByTheServer(string version)
    {
        await using var harness = await StartAsync();

        // SECLEVEL=0 lets this client offer the old versions at all, so what refuses them is the gateway.
        var result = await ConnectAsync(harness, Get(PrivateHost()), version, "-cipher", "DEFAULT@SECLEVEL=0", "-servername", PrivateHost());

        Assert.False(result.Connected, result.Output);
        Assert.Contains("alert protocol version", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-GCM-SHA256")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-SHA384")]
    [InlineData("-tls1_3", "TLS_AES_128_GCM_SHA256")]
    [InlineData("-tls1_3", "TLS_AES_256_GCM_SHA384")]
    [InlineData("-tls1_3", "TLS_CHACHA20_POLY1305_SHA256")]
    public async Task OpenSsl_CipherOfTheTls12Policy_Negotiated(string version, string cipher)
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(PrivateHost()), version, version == "-tls1_3" ? "-ciphersuites" : "-cipher", cipher, "-servername", PrivateHost());

        Assert.True(result.Connected, result.Error);
        Assert.Contains($"Cipher is {cipher}", result.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-SHA")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-SHA")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-CHACHA20-POLY1305")]
    [InlineData("-tls1_3", "TLS_AES_128_CCM_SHA256")]
    public async Task OpenSsl_CipherOutsideTheTls12Policy_Refused(string version, string cipher)
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(PrivateHost()), version, version == "-tls1_3" ? "-ciphersuites" : "-cipher", cipher, "-servername", PrivateHost());

        Assert.False(result.Connected, result.Output);
        Assert.Contains("alert handshake failure", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Tls13Name, "-tls1_3", true)]
    [InlineData(Tls13Name, "-tls1_2", false)]
    [InlineData(StrictName, "-tls1_3", true)]
    [InlineData(StrictName, "-tls1_2", false)]
    [InlineData(DomainName, "-tls1_2", true)]
    [InlineData(PrivateHostForTheory, "-tls1_2", true)]
    public async Task OpenSsl_DomainSecurityPolicy_DecidesTheVersionsBySni(string serverName, string version, bool accepted)
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(serverName), version, "-servername", serverName);

        Assert.Equal(accepted, result.Connected);
        if (accepted)
        {
            Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("alert protocol version", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(StrictName, StrictName, "200")]
    [InlineData(DomainName, StrictName, "403")]
    [InlineData(null, StrictName, "403")]
    [InlineData(StrictName, DomainName, "200")]
    public async Task OpenSsl_StrictAccessMode_RefusesAHostItsSniDoesNotName(string? serverName, string host, string status)
    {
        await using var harness = await StartAsync();

        string[] sni = serverName is null ? ["-noservername"] : ["-servername", serverName];
        var result = await ConnectAsync(harness, Get(host), ["-tls1_3", .. sni]);

        Assert.True(result.Connected, result.Error);
        Assert.Contains($"HTTP/1.1 {status} ", result.Output, StringComparison.Ordinal);
        if (status == "403")
        {
            Assert.Contains("{\"message\":\"Forbidden\"}", result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-GCM-SHA384", "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-SHA256", "TLSv1.2", "ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("-tls1_3", "TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256")]
    public async Task OpenSsl_MappingTemplate_SeesTheNegotiatedVersionAndSuite(string version, string suite, string tlsVersion, string cipherSuite)
    {
        await using var harness = await StartAsync();

        var request = $"GET /dev/tls HTTP/1.1\r\nHost: {PrivateHost()}\r\nConnection: close\r\n\r\n";
        var result = await ConnectAsync(harness, request, version, version == "-tls1_3" ? "-ciphersuites" : "-cipher", suite, "-servername", PrivateHost());

        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{{\"tls\":\"{tlsVersion}\",\"cipher\":\"{cipherSuite}\"}}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_Tls13OnlyPolicyCcmSuite_Refused()
    {
        await using var harness = await StartAsync();

        var result = await ConnectAsync(harness, Get(Tls13Name), "-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256:TLS_AES_128_GCM_SHA256", "-servername", Tls13Name);

        Assert.Contains("Cipher is TLS_AES_128_GCM_SHA256", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_Tls10PolicyOldClient_StillRefusedAndSaidSo()
    {
        var logs = new RecordingLoggerFactory();
        await using var harness = await GatewayHarness.StartAsync(Model(), configure: o => o with { CertificateIssuer = new SandboxCaCertificateIssuer(_ca), LoggerFactory = logs });

        var result = await ConnectAsync(harness, Get(Tls10Name), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-servername", Tls10Name);

        // OpenSSL 3 will not sign a TLS 1.0 handshake (SHA-1) at its security level; the policy's shortfall is logged, not hidden.
        Assert.False(result.Connected, result.Output);
        Assert.Contains(logs.Messages, m => m.Contains(Tls10Name, StringComparison.Ordinal) && m.Contains("TLS_1_0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenSsl_ClientOffersCertificate_NotAskedForAndServed()
    {
        await using var harness = await StartAsync();
        var pem = TestCertificates.WritePem(Path.Combine(_folder, "client"));

        var result = await ConnectAsync(harness, Get(DomainName), "-servername", DomainName, "-cert", pem.Certificate, "-key", pem.Key);

        // Private custom domain names have no mutual TLS: the server sends no CertificateRequest, so the client's certificate stays unsent.
        Assert.Contains("No client certificate CA names sent", result.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsl_ClientInitiatedRenegotiation_Refused()
    {
        await using var harness = await StartAsync();

        var result = await OpenSsl.RenegotiateAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA), Get(PrivateHost()), "-CAfile", _trust, "-tls1_2", "-servername", PrivateHost());

        // .NET's server refuses a client's renegotiation by closing the connection: the request after it is never answered.
        Assert.True(result.Connected, result.Error);
        Assert.Contains("RENEGOTIATING", result.Error, StringComparison.Ordinal);
        Assert.Contains("unexpected eof", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1 ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task OpenSsl_SecondConnectionWithSession_Resumed(string version)
    {
        await using var harness = await StartAsync();
        var session = Path.Combine(_folder, "session" + version);
        Directory.CreateDirectory(_folder);

        var first = await ConnectAsync(harness, Get(PrivateHost()), version, "-servername", PrivateHost(), "-sess_out", session);
        var second = await ConnectAsync(harness, Get(PrivateHost()), version, "-servername", PrivateHost(), "-sess_in", session);

        Assert.Contains("New, ", first.Output, StringComparison.Ordinal);
        Assert.Contains("Reused, ", second.Output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 ", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_ManyClientsStall_OthersServedAndStalledOnesClosed()
    {
        await using var harness = await StartAsync();
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var stalled = new List<Socket>();
        try
        {
            for (var i = 0; i < 64; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(GatewayHarness.EniA, port);
                if (i % 2 == 1)
                {
                    // Half a ClientHello: the record header promises more than is sent.
                    await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });
                }

                stalled.Add(socket);
            }

            var started = DateTime.UtcNow;
            var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/health");

            Assert.Equal(200, (int)response.StatusCode);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "a request waited behind stalled handshakes");

            // Kestrel's handshake timeout (10 s) closes every stalled connection; none is kept open for ever.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            foreach (var socket in stalled)
            {
                Assert.True(await ClosedAsync(socket, deadline.Token));
            }
        }
        finally
        {
            stalled.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Plaintext_HttpRequestToTlsPort_ClosedWithoutAnHttpAnswer()
    {
        await using var harness = await StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA));

        await socket.SendAsync(Encoding.ASCII.GetBytes(Get(PrivateHost())));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, deadline.Token)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }

        Assert.DoesNotContain("HTTP/", answer.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Reads until the server closes (an alert before it is ignored); true once closed, cancelled at the deadline.</summary>
    private static async Task<bool> ClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }

        return true;
    }

    private static string Get(string host, string extraHeaders = "") =>
        $"GET {(host.Contains(".corp.", StringComparison.Ordinal) ? "/health" : "/dev/health")} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}Connection: close\r\n\r\n";

    private Task<OpenSsl.Result> ConnectAsync(GatewayHarness harness, string input, params string[] options) =>
        OpenSsl.ConnectAsync(GatewayHarness.EniA, harness.Server.PortOf(GatewayHarness.EniA), input, ["-CAfile", _trust, .. options]);

    private Task<GatewayHarness> StartAsync() =>
        GatewayHarness.StartAsync(Model(), configure: o => o with { CertificateIssuer = new SandboxCaCertificateIssuer(_ca) });

    private static GatewayModel Model()
    {
        var health = Resource("res0000001", "/health", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"domain":"$context.domainName"}"""))));
        var tls = Resource("res0000002", "/tls", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, """{"tls":"$context.tlsVersion","cipher":"$context.cipherSuite"}"""))));
        var model = ModelOf(Api(AllowFrom(VpceA), health, tls) with { VpcEndpointIds = [VpceA] });
        return model with
        {
            Certificates = [new Certificate(CertificateArn, "Cert", DomainName, [])],
            PrivateDomainNames =
            [
                new DomainNameV2(DomainArn, "Domain", DomainName, "dn00000009", CertificateArn, AllowFrom(VpceA)),
                new DomainNameV2(StrictArn, "Strict", StrictName, "dn00000010", null, AllowFrom(VpceA), "SecurityPolicy_TLS13_1_3_2025_09", "STRICT"),
            ],
            PrivateBasePathMappings =
            [
                new BasePathMappingV2(DomainArn + "/basepathmappings/(none)", "All", DomainArn, string.Empty, ApiId, "dev"),
                new BasePathMappingV2(StrictArn + "/basepathmappings/(none)", "StrictAll", StrictArn, string.Empty, ApiId, "dev"),
            ],
            DomainNameAccessAssociations =
            [
                new DomainNameAccessAssociation("arn:assoc/9", "AccessA", DomainArn, "VPCE", VpceA),
                new DomainNameAccessAssociation("arn:assoc/10", "StrictA", StrictArn, "VPCE", VpceA),
            ],
            DomainNames =
            [
                new DomainName(PublicName, "Public", PublicName, EndpointType.Regional, null, "TLS_1_2"),
                new DomainName(Tls13Name, "Tls13", Tls13Name, EndpointType.Regional, null, "SecurityPolicy_TLS13_1_3_2025_09"),
                new DomainName(Tls10Name, "Tls10", Tls10Name, EndpointType.Regional, null, "TLS_1_0"),
            ],
            BasePathMappings =
            [
                new BasePathMapping(PublicName + "/", "PublicAll", PublicName, string.Empty, ApiId, "dev"),
                new BasePathMapping(Tls13Name + "/", "Tls13All", Tls13Name, string.Empty, ApiId, "dev"),
                new BasePathMapping(Tls10Name + "/", "Tls10All", Tls10Name, string.Empty, ApiId, "dev"),
            ],
        };
    }
}
