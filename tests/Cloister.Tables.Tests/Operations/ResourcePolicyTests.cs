using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Operations;

/// <summary>Table resource policies through the AWS SDK for .NET: CreateTable's ResourcePolicy, Put/Get/DeleteResourcePolicy, persistence.</summary>
public sealed class ResourcePolicyTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-rbp-" + Guid.NewGuid().ToString("N"));
    private TablesServer? _server;
    private AmazonDynamoDBClient? _client;

    private AmazonDynamoDBClient Client => _client!;

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Document(string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"{{action}}","Resource":"*"}]}""";

    [Fact]
    public async Task PutGetDelete_Policy_RoundTrips()
    {
        var table = await CreateTableAsync();

        var put = await Client.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = Arn + table, Policy = Document("dynamodb:GetItem") });
        var got = await Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = Arn + table });
        var deleted = await Client.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = Arn + table });

        Assert.Equal(Document("dynamodb:GetItem"), got.Policy);
        Assert.Equal(put.RevisionId, got.RevisionId);
        Assert.Equal(put.RevisionId, deleted.RevisionId);
        Assert.Matches("^[0-9]{13,}$", put.RevisionId);
        var error = await Assert.ThrowsAsync<PolicyNotFoundException>(() => Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = Arn + table }));
        Assert.Equal($"Resource-based policy not found for the provided ResourceArn: {Arn}{table}", error.Message);
    }

    [Fact]
    public async Task PutResourcePolicy_SameDocumentTwice_KeepsRevision_OtherDocumentAdvancesIt()
    {
        var table = await CreateTableAsync();

        var first = await PutAsync(table, Document("dynamodb:*"));
        var again = await PutAsync(table, Document("dynamodb:*"));
        var other = await PutAsync(table, Document("dynamodb:PutItem"));

        Assert.Equal(first, again);
        Assert.True(string.CompareOrdinal(other, first) > 0, $"{other} after {first}");
    }

    [Fact]
    public async Task PutResourcePolicy_ExpectedRevision_IsChecked()
    {
        var table = await CreateTableAsync();
        var first = await PutAsync(table, Document("dynamodb:*"), "NO_POLICY");
        var second = await PutAsync(table, Document("dynamodb:PutItem"), first);

        var stale = await Assert.ThrowsAsync<PolicyNotFoundException>(() => PutAsync(table, Document("dynamodb:GetItem"), first));
        var none = await Assert.ThrowsAsync<PolicyNotFoundException>(() => PutAsync(table, Document("dynamodb:GetItem"), "NO_POLICY"));

        Assert.Equal($"Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id {first}, but the policy associated to target table {table} has revision id {second}.", stale.Message);
        Assert.Equal($"Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table {table}, but a policy exists with revision id {second}.", none.Message);
    }

    [Fact]
    public async Task DeleteResourcePolicy_NoPolicy_IdempotentUnlessARevisionIsExpected()
    {
        var table = await CreateTableAsync();

        var deleted = await Client.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = Arn + table });
        var error = await Assert.ThrowsAsync<PolicyNotFoundException>(() =>
            Client.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = Arn + table, ExpectedRevisionId = "1" }));

        Assert.Null(deleted.RevisionId);
        Assert.StartsWith("Resource-based policy not found for the provided ResourceArn: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutResourcePolicy_Malformed_ValidationNamesEveryProblem()
    {
        var table = await CreateTableAsync();

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            PutAsync(table, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},{"Effect":"Maybe","Principal":"*","Action":"dynamodb:*","Resource":"*"}]}"""));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Contains("Statement[0]: Missing required field Principal", error.Message, StringComparison.Ordinal);
        Assert.Contains("Statement[1].Effect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutResourcePolicy_Over20KB_Validation()
    {
        var table = await CreateTableAsync();
        var padded = Document("dynamodb:*").Replace("{\"Effect\"", new string(' ', 20 * 1024) + "{\"Effect\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(table, padded));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Contains("20 KB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:us-east-1:000000000000:table/missing-table", "ResourceNotFoundException")]
    [InlineData("arn:aws:dynamodb:eu-west-1:000000000000:table/missing-table", "ResourceNotFoundException")]
    [InlineData("arn:aws:dynamodb:us-east-1:000000000000:table/t/index/i", "ValidationException")]
    [InlineData("not-an-arn", "ValidationException")]
    public async Task GetResourcePolicy_NotATableHere_Refused(string arn, string code)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = arn }));

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task CreateTable_WithResourcePolicy_KeptAcrossRestart()
    {
        var table = await CreateTableAsync(Document("dynamodb:Query"));
        var before = await Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = Arn + table });

        await StopAsync();
        await StartAsync();
        var after = await Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = Arn + table });
        await Client.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = Arn + table });
        await StopAsync();
        await StartAsync();

        Assert.Equal(Document("dynamodb:Query"), after.Policy);
        Assert.Equal(before.RevisionId, after.RevisionId);
        await Assert.ThrowsAsync<PolicyNotFoundException>(() => Client.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = Arn + table }));
    }

    [Fact]
    public async Task CreateTable_MalformedResourcePolicy_NoTableCreated()
    {
        var name = TablesServerFixture.UniqueName("t");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => CreateTableAsync("{\"Statement\":[]}", name));

        Assert.Equal("ValidationException", error.ErrorCode);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Client.DescribeTableAsync(name));
    }

    private async Task<string> PutAsync(string table, string policy, string? expected = null) =>
        (await Client.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = Arn + table, Policy = policy, ExpectedRevisionId = expected })).RevisionId;

    private async Task<string> CreateTableAsync(string? policy = null, string? name = null)
    {
        name ??= TablesServerFixture.UniqueName("t");
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            ResourcePolicy = policy,
        });
        return name;
    }

    private async Task StartAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions { DataDirectory = _directory, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _client = TablesServerFixture.CreateClient(_server.Urls[0]);
    }

    private async Task StopAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
