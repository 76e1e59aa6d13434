using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Tables.Access;
using Cloister.Tables.Hosting;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// A real service with access control on loopback: clients connect to <see cref="Url"/> and are authorized; the
/// stack host's own listener (<see cref="HostUrl"/>, whose connections <c>Origins</c> answers null for) is not.
/// Callers are registered by access key id; <see cref="Origin"/> is what client connections report.
/// </summary>
internal sealed class AccessServer : IAsyncDisposable
{
    public const string Account = "000000000000";
    public const string TableArnPrefix = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly ConcurrentDictionary<string, CallerIdentity> _callers = new(StringComparer.Ordinal);
    private readonly Socket _hostListener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private TablesServer? _server;
    private int _callerLookups;
    private int _originLookups;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cloister-access-" + Guid.NewGuid().ToString("N"));

    /// <summary>What every client connection accepted from now on comes from.</summary>
    public ServiceOrigin Origin { get; set; } = ServiceOrigin.Outside("127.0.0.1");

    public Dictionary<string, PolicyDocument> EndpointPolicies { get; } = new(StringComparer.Ordinal);

    public Uri Url => _server!.Urls.First(url => url.Port != HostPort);

    public Uri HostUrl => _server!.Urls.First(url => url.Port == HostPort);

    public int CallerLookups => _callerLookups;

    public int OriginLookups => _originLookups;

    private int HostPort => ((IPEndPoint)_hostListener.LocalEndPoint!).Port;

    /// <summary>Starts a server whose clock is <paramref name="time"/> (the system's when null).</summary>
    public static async Task<AccessServer> StartAsync(TimeProvider? time = null)
    {
        var server = new AccessServer();
        server._hostListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server._hostListener.Listen();
        server._server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = server.DataDirectory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpSocket = server._hostListener,
            TimeProvider = time ?? TimeProvider.System,
            Access = new TablesAccess
            {
                Callers = server.Caller,
                Origins = server.OriginOf,
                EndpointPolicies = server.EndpointPolicies,
            },
        });
        return server;
    }

    public static PolicyDocument Identity(string statements) =>
        Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", PolicyKind.Identity);

    public static PolicyDocument Allow(string actions, string resource = "*") =>
        Identity($$"""{"Effect":"Allow","Action":{{actions}},"Resource":"{{resource}}"}""");

    public static PolicyDocument Resource(string statements) =>
        Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", PolicyKind.Resource);

    public static string SessionArn(string role) => $"arn:aws:sts::{Account}:assumed-role/{role}/session";

    /// <summary>An item of a table made by <see cref="CreateTableAsync"/>: its key and one attribute <c>v</c>.</summary>
    public static Dictionary<string, AttributeValue> Item(string pk, string value = "v") => new()
    {
        ["PK"] = new AttributeValue { S = pk },
        ["v"] = new AttributeValue { S = value },
    };

    public static Dictionary<string, AttributeValue> Key(string pk) => new() { ["PK"] = new AttributeValue { S = pk } };

    /// <summary>IAM's refusal of <paramref name="action"/> to the session of <paramref name="role"/>.</summary>
    public static string Denied(string role, string action, string resource, string reason) =>
        $"User: {SessionArn(role)} is not authorized to perform: {action} on resource: {resource} {reason}";

    /// <summary>Registers a role session under <paramref name="keyId"/>, signing with <paramref name="secret"/> (null: not checked).</summary>
    public void AddRole(string keyId, string role, string? secret, PolicyDocument[] policies, PolicyDocument? boundary = null) =>
        _callers[keyId] = new CallerIdentity(RequestPrincipal.Aws(SessionArn(role)), "AROA" + role.ToUpperInvariant() + ":session", secret, [.. policies], boundary, IsRoot: false);

    /// <summary>Registers a session of a role tagged <paramref name="tags"/> (its <c>aws:PrincipalTag/KEY</c>), signing with <paramref name="secret"/>.</summary>
    public void AddTaggedRole(string keyId, string role, string secret, IReadOnlyDictionary<string, string> tags, PolicyDocument[] policies) =>
        _callers[keyId] = new CallerIdentity(
            RequestPrincipal.RoleSession(SessionArn(role), $"arn:aws:iam::{Account}:role/{role}", DateTimeOffset.UtcNow, tags),
            "AROA" + role.ToUpperInvariant() + ":session", secret, [.. policies], null, IsRoot: false);

    /// <summary>Registers <paramref name="caller"/> (a session the sandbox's STS issued, say) under <paramref name="keyId"/>.</summary>
    public void AddCaller(string keyId, CallerIdentity caller) => _callers[keyId] = caller;

    public void AddRoot(string keyId, string secret) =>
        _callers[keyId] = new CallerIdentity(RequestPrincipal.Aws($"arn:aws:iam::{Account}:root"), Account, secret, [], null, IsRoot: true);

    /// <summary>
    /// A client signing as <paramref name="keyId"/>, against the authorized listener unless told otherwise. The SDK
    /// shares connections between clients of one endpoint; <paramref name="freshConnections"/> opens new ones (an
    /// origin is a connection's, so a test that changes <see cref="Origin"/> midway needs them).
    /// </summary>
    public AmazonDynamoDBClient Client(string keyId, string secret, Uri? url = null, bool freshConnections = false) =>
        new(new BasicAWSCredentials(keyId, secret), new AmazonDynamoDBConfig
        {
            ServiceURL = (url ?? Url).ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            CacheHttpClient = !freshConnections,
        });

    /// <summary>A client of the stack host's own listener (requests not authorized).</summary>
    public AmazonDynamoDBClient HostClient() => Client("AKIDHOST", "unchecked", HostUrl);

    /// <summary>Creates a table (PK string, optional SK number) through the host's own listener.</summary>
    public async Task<string> CreateTableAsync(string? resourcePolicy = null, bool withRange = false, string? index = null)
    {
        var name = TablesServerFixture.UniqueName("t");
        using var host = HostClient();
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            ResourcePolicy = resourcePolicy,
        };
        if (withRange)
        {
            request.AttributeDefinitions.Add(new AttributeDefinition("SK", ScalarAttributeType.N));
            request.KeySchema.Add(new KeySchemaElement("SK", KeyType.RANGE));
        }

        if (index is not null)
        {
            request.AttributeDefinitions.Add(new AttributeDefinition("G", ScalarAttributeType.S));
            request.GlobalSecondaryIndexes = [new GlobalSecondaryIndex
            {
                IndexName = index,
                KeySchema = [new KeySchemaElement("G", KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            }];
        }

        await host.CreateTableAsync(request);
        return name;
    }

    /// <summary>The item at <paramref name="pk"/>, read through the host's own listener; null when there is none.</summary>
    public async Task<Dictionary<string, AttributeValue>?> ReadAsync(string table, string pk)
    {
        using var host = HostClient();
        var response = await host.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["PK"] = new AttributeValue { S = pk } }, ConsistentRead = true });
        return response.IsItemSet ? response.Item : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _hostListener.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private static PolicyDocument Parse(string json, PolicyKind kind)
    {
        var parsed = PolicyDocument.Parse(json, new PolicyParseOptions(kind));
        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        return parsed.Policy;
    }

    private CallerIdentity? Caller(string keyId)
    {
        Interlocked.Increment(ref _callerLookups);
        return _callers.GetValueOrDefault(keyId);
    }

    private ServiceOrigin? OriginOf(Socket socket)
    {
        if (((IPEndPoint)socket.LocalEndPoint!).Port == HostPort)
        {
            return null;
        }

        Interlocked.Increment(ref _originLookups);
        return Origin;
    }
}
