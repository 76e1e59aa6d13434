using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloister.Certificates;
using Cloister.Dns.Resolution;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// The certificate a DynamoDB interface endpoint's listener serves, read from the TLS handshake as a client sees it:
/// issued by the sandbox CA for <see cref="VpcEndpointDnsNames.CertificateNames"/>, its subject the service's regional
/// name (AWS's DynamoDB certificate's subject) with private DNS, its names the endpoint's regional and zonal names.
/// </summary>
public sealed class InterfaceEndpointCertificateTests : IAsyncLifetime
{
    private const string Vpce = "vpce-0ffffeeeeddddcccc";
    private const string Vpc = "vpc-0123456789abcdef0";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-ifcert-" + Guid.NewGuid().ToString("N"));
    private readonly Socket _endpointSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private SandboxCertificateAuthority? _authority;
    private TablesServer? _server;

    private static CloudModel Model { get; } = new()
    {
        Account = new AccountContext("123456789012", "eu-central-1"),
        Subnets =
        [
            new Subnet("subnet-0aaaaaaaaaaaaaaa1", "Private1", Vpc, "10.0.1.0/24", "eu-central-1a"),
            new Subnet("subnet-0aaaaaaaaaaaaaaa2", "Private2", Vpc, "10.0.2.0/24", "eu-central-1b"),
        ],
        VpcEndpoints =
        [
            new VpcEndpoint(
                Vpce,
                "DynamoDbInterface",
                Vpc,
                "com.amazonaws.eu-central-1.dynamodb",
                VpcEndpointType.Interface,
                ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                [],
                [],
                PrivateDnsEnabled: true,
                PolicyDocument: null,
                [
                    new NetworkInterface("eni-0ffffffffffffff01", "subnet-0aaaaaaaaaaaaaaa1", "10.0.1.170", [], $"VPC Endpoint Interface {Vpce}"),
                    new NetworkInterface("eni-0ffffffffffffff02", "subnet-0aaaaaaaaaaaaaaa2", "10.0.2.170", [], $"VPC Endpoint Interface {Vpce}"),
                ]),
        ],
    };

    private static string EndpointName(string zone = "") =>
        $"{Vpce}-{VpcEndpointDnsSuffix.Of(Vpce)}{(zone.Length > 0 ? "-" + zone : "")}.dynamodb.eu-central-1.vpce.amazonaws.com";

    public async Task InitializeAsync()
    {
        _authority = SandboxCertificateAuthority.LoadOrCreate(Path.Combine(_directory, "ca"));
        var certificate = _authority.Issue(VpcEndpointDnsNames.CertificateNames(Model.VpcEndpoints[0], Model));
        _endpointSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpointSocket.Listen();
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = Path.Combine(_directory, "tables"),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            EndpointListeners = [new InterfaceEndpointListener(Vpce, Vpc, _endpointSocket, certificate)],
            Account = Model.Account,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpointSocket.Dispose();
        _authority?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Handshake_EndpointsRegionalName_SubjectTheServiceRegionalNameSansTheEndpointsNames()
    {
        var (certificate, response) = await GetRootAsync();
        using var served = certificate;
        Assert.Equal("CN=dynamodb.eu-central-1.amazonaws.com", served.Subject);
        Assert.Equal(
            new[]
            {
                "dynamodb.eu-central-1.amazonaws.com",
                EndpointName(), "*." + EndpointName(),
                EndpointName("eu-central-1a"), "*." + EndpointName("eu-central-1a"),
                EndpointName("eu-central-1b"), "*." + EndpointName("eu-central-1b"),
            }.Order(StringComparer.Ordinal),
            served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.True(served.MatchesHostname(EndpointName("eu-central-1b")));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ThroughTheEndpointByItsOwnName_HealthLineNamesTheRegionalEndpointAsAwsDoes()
    {
        var (served, response) = await GetRootAsync();
        served.Dispose();

        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Equal("healthy: dynamodb.eu-central-1.amazonaws.com ", body);
    }

    /// <summary><c>GET /</c> over TLS to the endpoint's listener by the endpoint's regional name: the certificate served and the whole response.</summary>
    private async Task<(X509Certificate2 Served, string Response)> GetRootAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync((IPEndPoint)_endpointSocket.LocalEndPoint!);
        await using var tls = new SslStream(tcp.GetStream());
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = EndpointName(),
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck },
        };
        options.CertificateChainPolicy.CustomTrustStore.Add(_authority!.Root);
        await tls.AuthenticateAsClientAsync(options);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {EndpointName()}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, Encoding.ASCII);
        var response = await reader.ReadToEndAsync();
        return (new X509Certificate2(tls.RemoteCertificate!), response);
    }
}
