using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Conformance;

/// <summary>
/// DynamoDB's account-based endpoints as SDKs use them: with credentials that carry an account id, the AWS SDK for .NET
/// and Node's SDK v3 send every request to <c>https://{account-id}.ddb.{region}.amazonaws.com</c> (their default
/// <c>AccountIdEndpointMode</c>, "preferred"). Each resolves the name it chose to the service on loopback (the sandbox's
/// DNS answers it as the regional name, tests/Cloister.Dns.Tests), and checks the service's certificate, issued by a
/// sandbox CA for <see cref="RegionalServices.DynamoDbNames"/>, against that name over real TLS.
/// </summary>
public sealed class AccountEndpointTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string Region = "eu-central-1";
    private const string AccountName = Account + ".ddb." + Region + ".amazonaws.com";
    private const string RegionalName = "dynamodb." + Region + ".amazonaws.com";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-ddbacct-" + Guid.NewGuid().ToString("N"));
    private SandboxCertificateAuthority? _authority;
    private TablesServer? _server;

    private IPEndPoint Https => new(IPAddress.Loopback, _server!.Urls.First(u => u.Scheme == "https").Port);

    public async Task InitializeAsync()
    {
        _authority = SandboxCertificateAuthority.LoadOrCreate(Path.Combine(_directory, "ca"));
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = Path.Combine(_directory, "tables"),
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _authority.Issue(RegionalServices.DynamoDbNames(Region)),
            Account = new AccountContext(Account, Region),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _authority?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(Account, AccountName)]
    [InlineData(null, RegionalName)]
    public async Task DotnetSdk_CredentialsWithOrWithoutAccountId_AccountOrRegionalNameOverTlsServed(string? accountId, string expectedHost)
    {
        var hosts = new ConcurrentBag<string>();
        var credentials = accountId is null ? new BasicAWSCredentials("AKIDEXAMPLE", "secret") : new BasicAWSCredentials("AKIDEXAMPLE", "secret", accountId);
        using var client = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(Region),
            HttpClientFactory = new LoopbackHttpClientFactory(Https, _authority!.Root, hosts),
            MaxErrorRetry = 0,
        });
        var table = TablesServerFixture.UniqueName("acct");

        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });
        await client.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["PK"] = new("a"), ["v"] = new("one") });
        var item = await client.GetItemAsync(new GetItemRequest(table, new Dictionary<string, AttributeValue> { ["PK"] = new("a") }, true));

        Assert.Equal("one", item.Item["v"].S);
        Assert.Equal([expectedHost], hosts.Distinct());
    }

    [Fact]
    public async Task NodeSdk_CredentialsWithAccountId_AccountNameOverTlsServed()
    {
        var folder = Path.Combine(ProcessRunner.RepositoryRoot, "tests", "conformance", "node");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "client-dynamodb")), "run ./test (or npm ci in tests/conformance/node) first");
        var ca = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(ca, _authority!.Root.ExportCertificatePem());

        var (code, output, error) = await ProcessRunner.RunAsync(
            "node", ["dynamodb-account-endpoint.mjs", Region, Account, Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ca, TablesServerFixture.UniqueName("node-acct")], folder);

        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal([AccountName], result.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()).Distinct());
        Assert.Equal("one", result.GetProperty("value").GetString());
    }

    /// <summary>
    /// The SDK's HTTP clients, connecting every name to the service on loopback (as the sandbox's DNS would send it to
    /// the service address) and trusting the sandbox CA; TLS checks the certificate against the name the SDK chose.
    /// </summary>
    private sealed class LoopbackHttpClientFactory(IPEndPoint service, X509Certificate2 root, ConcurrentBag<string> hosts) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(root);
            var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
                ConnectCallback = async (context, cancellationToken) =>
                {
                    hosts.Add(context.DnsEndPoint.Host);
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        await socket.ConnectAsync(service, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler);
        }
    }
}
