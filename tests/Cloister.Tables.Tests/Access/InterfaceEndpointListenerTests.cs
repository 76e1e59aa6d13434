using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Tables.Access;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// A listener of a DynamoDB interface endpoint (<see cref="InterfaceEndpointListener"/>): its connections' origin is the
/// listener's endpoint and VPC with the client's address, never the socket lookup, and the endpoint's policy applies.
/// </summary>
public sealed class InterfaceEndpointListenerTests : IAsyncLifetime
{
    private const string Vpce = "vpce-0aaaabbbbccccdddd";
    private const string Vpc = "vpc-0123456789abcdef0";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-ifendpoint-" + Guid.NewGuid().ToString("N"));
    private readonly Socket _endpointSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _hostSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = TestCertificates.SelfSigned($"{Vpce}.dynamodb.us-east-1.vpce.amazonaws.com");
    private readonly Dictionary<string, Cloister.Policy.Policy> _endpointPolicies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallerIdentity> _callers = new(StringComparer.Ordinal);
    private TablesServer? _server;
    private int _originLookups;

    public async Task InitializeAsync()
    {
        _endpointSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpointSocket.Listen();
        _hostSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _hostSocket.Listen();
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = _directory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpSocket = _hostSocket,
            EndpointListeners = [new InterfaceEndpointListener(Vpce, Vpc, _endpointSocket, _certificate)],
            Access = new TablesAccess
            {
                Callers = key => _callers.GetValueOrDefault(key),
                Origins = socket =>
                {
                    Interlocked.Increment(ref _originLookups);
                    return ((IPEndPoint)socket.LocalEndPoint!).Port == Port(_hostSocket) ? null : ServiceOrigin.Outside("127.0.0.1");
                },
                EndpointPolicies = _endpointPolicies,
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpointSocket.Dispose();
        _hostSocket.Dispose();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task GetItem_ResourcePolicyRequiresTheInterfaceEndpoint_AllowedThroughItDeniedOutside()
    {
        var table = await CreateTableAsync($$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"{{AccessServer.SessionArn("Reader")}}"},"Action":"dynamodb:*","Resource":"*",
               "Condition":{"StringEquals":{"aws:SourceVpce":"{{Vpce}}","aws:SourceVpc":"{{Vpc}}"},"IpAddress":{"aws:VpcSourceIp":"127.0.0.1/32"} }
              }]}
            """);
        AddRole("AKIDREADER", "Reader", []);

        var (throughStatus, throughBody) = await SendAsync(EndpointUrl, "PutItem", "AKIDREADER", PutA(table));
        var (getStatus, getBody) = await SendAsync(EndpointUrl, "GetItem", "AKIDREADER", GetA(table));
        var (outsideStatus, outsideBody) = await SendAsync(OutsideUrl, "GetItem", "AKIDREADER", GetA(table));

        Assert.Equal(HttpStatusCode.OK, throughStatus);
        Assert.Equal("{}", throughBody);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal("a", JsonDocument.Parse(getBody).RootElement.GetProperty("Item").GetProperty("PK").GetProperty("S").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, outsideStatus);
        Assert.Contains("AccessDeniedException", outsideBody, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: dynamodb:GetItem", outsideBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutItem_InterfaceEndpointPolicyDenies_AccessDeniedByTheEndpointPolicy()
    {
        var table = await CreateTableAsync();
        AddRole("AKIDWRITER", "Writer", [AccessServer.Allow("\"dynamodb:*\"")]);
        _endpointPolicies[Vpce] = AccessServer.Resource("""{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"*"}""");

        var (status, body) = await SendAsync(EndpointUrl, "PutItem", "AKIDWRITER", PutA(table));
        var (getStatus, _) = await SendAsync(EndpointUrl, "GetItem", "AKIDWRITER", GetA(table));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("because no VPC endpoint policy allows the dynamodb:PutItem action", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, getStatus);
    }

    [Fact]
    public async Task PutItem_InterfaceEndpointPolicyNamesTheAccount_AllowsTheAccountsRoles()
    {
        // An interface endpoint's policy reads "AWS": "ACCOUNT" as every identity of the account (a gateway endpoint's as the root only).
        var table = await CreateTableAsync();
        AddRole("AKIDWRITER", "Writer", [AccessServer.Allow("\"dynamodb:PutItem\"")]);
        _endpointPolicies[Vpce] = AccessServer.Resource($$"""{"Effect":"Allow","Principal":{"AWS":"{{AccessServer.Account}}"},"Action":"dynamodb:*","Resource":"*"}""");

        var (status, body) = await SendAsync(EndpointUrl, "PutItem", "AKIDWRITER", PutA(table));

        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task ListTables_ThroughTheEndpointListener_OriginNotAskedOfTheSocket()
    {
        AddRole("AKIDLISTER", "Lister", [AccessServer.Allow("\"dynamodb:ListTables\"")]);

        var (status, _) = await SendAsync(EndpointUrl, "ListTables", "AKIDLISTER", "{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, _originLookups);
    }

    private static string PutA(string table) => "{\"TableName\":\"" + table + "\",\"Item\":{\"PK\":{\"S\":\"a\"}}}";

    private static string GetA(string table) => "{\"TableName\":\"" + table + "\",\"Key\":{\"PK\":{\"S\":\"a\"}}}";

    private Uri EndpointUrl => new($"https://127.0.0.1:{Port(_endpointSocket)}/");

    private Uri OutsideUrl => _server!.Urls.First(u => u.Port != Port(_hostSocket));

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private void AddRole(string keyId, string role, Cloister.Policy.Policy[] policies) =>
        _callers[keyId] = new CallerIdentity(RequestPrincipal.Aws(AccessServer.SessionArn(role)), "AROA" + role.ToUpperInvariant() + ":session", null, [.. policies], null, IsRoot: false);

    private async Task<string> CreateTableAsync(string? resourcePolicy = null)
    {
        var name = TablesServerFixture.UniqueName("t");
        var policy = resourcePolicy is null ? string.Empty : ",\"ResourcePolicy\":" + JsonSerializer.Serialize(resourcePolicy);
        var (status, body) = await SendAsync(
            new Uri($"http://127.0.0.1:{Port(_hostSocket)}/"),
            "CreateTable",
            "AKIDHOST",
            $$"""{"TableName":"{{name}}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]{{policy}}}""");
        Assert.True(status == HttpStatusCode.OK, body);
        return name;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Uri url, string operation, string keyId, string json)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert!.Thumbprint == _certificate.Thumbprint };
        using var client = new HttpClient(handler) { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={keyId}/20261123/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
