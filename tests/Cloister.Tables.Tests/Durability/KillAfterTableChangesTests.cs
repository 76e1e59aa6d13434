using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Durability;

/// <summary>Every acknowledged table change survives a SIGKILL of the real service right after its answer.</summary>
public sealed class KillAfterTableChangesTests : IDisposable
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/kept"}]}""";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloister-kill-tables-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Serve_KilledRightAfterTableChanges_EveryAcknowledgedChangeSurvives()
    {
        string revision;
        using (var server = await ServeProcess.StartAsync(_data))
        {
            using var client = TablesServerFixture.CreateClient(server.Url);
            await client.CreateTableAsync(Table("kept"));
            await client.CreateTableAsync(Table("dropped"));
            await client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = "kept",
                DeletionProtectionEnabled = true,
                AttributeDefinitions = [new AttributeDefinition("G", ScalarAttributeType.S)],
                GlobalSecondaryIndexUpdates =
                [
                    new GlobalSecondaryIndexUpdate
                    {
                        Create = new CreateGlobalSecondaryIndexAction
                        {
                            IndexName = "byG",
                            KeySchema = [new KeySchemaElement("G", KeyType.HASH)],
                            Projection = new Projection { ProjectionType = ProjectionType.ALL },
                        },
                    },
                ],
            });
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = "kept",
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true },
            });
            revision = (await client.PutResourcePolicyAsync(new PutResourcePolicyRequest
            {
                ResourceArn = "arn:aws:dynamodb:us-east-1:000000000000:table/kept",
                Policy = Policy,
            })).RevisionId;
            await client.DeleteTableAsync("dropped");
            server.Kill();
        }

        using var restarted = await ServeProcess.StartAsync(_data);
        using var reader = TablesServerFixture.CreateClient(restarted.Url);
        Assert.Equal(["kept"], (await reader.ListTablesAsync()).TableNames);
        var table = (await reader.DescribeTableAsync("kept")).Table;
        Assert.True(table.DeletionProtectionEnabled);
        Assert.Equal("byG", Assert.Single(table.GlobalSecondaryIndexes).IndexName);
        var ttl = (await reader.DescribeTimeToLiveAsync("kept")).TimeToLiveDescription;
        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveStatus);
        Assert.Equal("expires", ttl.AttributeName);
        var again = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => reader.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = "kept",
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = false },
        }));
        Assert.Equal("Time to live has been modified multiple times within a fixed interval", again.Message);
        var policy = await reader.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = "arn:aws:dynamodb:us-east-1:000000000000:table/kept" });
        Assert.Equal(Policy, policy.Policy);
        Assert.Equal(revision, policy.RevisionId);
    }

    private static CreateTableRequest Table(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
    };
}
