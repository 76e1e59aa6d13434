using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Cloister.Tables.Tests.Access.AccessServer;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// IAM authorization of PartiQL through the AWS SDK for .NET: <c>dynamodb:PartiQLSelect</c>, <c>PartiQLInsert</c>,
/// <c>PartiQLUpdate</c> and <c>PartiQLDelete</c> on the table or index, with the item operations' condition keys.
/// </summary>
public sealed class PartiqlAccessTests : IAsyncLifetime
{
    private AccessServer _server = null!;

    public async Task InitializeAsync() => _server = await AccessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ExecuteStatement_RoleAllowedSelectAndInsert_UpdateAndDeleteDeniedWithTheirActions()
    {
        var table = await _server.CreateTableAsync();
        var arn = TableArnPrefix + table;
        _server.AddRole("AKIDPQL", "Partiql", "s", [Allow("""["dynamodb:PartiQLSelect","dynamodb:PartiQLInsert"]""", arn)]);
        using var client = _server.Client("AKIDPQL", "s");

        await client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'a', 'v': 'v'}}" });
        var selected = await client.ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"SELECT * FROM \"{table}\" WHERE PK = ?",
            Parameters = [new AttributeValue { S = "a" }],
        });
        var update = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"UPDATE \"{table}\" SET v = 'w' WHERE PK = 'a'" }));
        var delete = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"DELETE FROM \"{table}\" WHERE PK = 'a'" }));

        Assert.Equal("v", Assert.Single(selected.Items)["v"].S);
        Assert.Equal(Denied("Partiql", "dynamodb:PartiQLUpdate", arn, "because no identity-based policy allows the dynamodb:PartiQLUpdate action"), update.Message);
        Assert.Equal(Denied("Partiql", "dynamodb:PartiQLDelete", arn, "because no identity-based policy allows the dynamodb:PartiQLDelete action"), delete.Message);
        Assert.Equal("v", (await _server.ReadAsync(table, "a"))!["v"].S);
    }

    [Fact]
    public async Task ExecuteStatement_RoleAllowedOnlyPutItem_InsertDeniedAndNothingWritten()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDPUT", "Putter", "s", [Allow("\"dynamodb:PutItem\"", TableArnPrefix + table)]);
        using var client = _server.Client("AKIDPUT", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'a'}}" }));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Null(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task ExecuteStatement_LeadingKeysCondition_OnlyTheCallersPartition()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDTENANT", "Tenant", "s", [Identity("""
            {"Effect":"Allow","Action":["dynamodb:PartiQLSelect","dynamodb:PartiQLInsert"],"Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:userid}"]}}}
            """)]);
        using var client = _server.Client("AKIDTENANT", "s");

        await client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'AROATENANT:session'}}" });
        var own = await client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'AROATENANT:session'" });
        var other = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'someone-else'}}" }));

        Assert.Single(own.Items);
        Assert.Equal("AccessDeniedException", other.ErrorCode);
        Assert.Null(await _server.ReadAsync(table, "someone-else"));
    }

    [Fact]
    public async Task ExecuteStatement_SelectFromIndex_ChecksTheIndexArn()
    {
        var table = await _server.CreateTableAsync(index: "byG");
        _server.AddRole("AKIDINDEX", "Index", "s", [Allow("\"dynamodb:PartiQLSelect\"", TableArnPrefix + table + "/index/byG")]);
        using var client = _server.Client("AKIDINDEX", "s");

        var fromIndex = await client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\".\"byG\" WHERE G = 'x'" });
        var fromTable = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'x'" }));

        Assert.Empty(fromIndex.Items);
        Assert.Contains($"dynamodb:PartiQLSelect on resource: {TableArnPrefix}{table} because", fromTable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteStatement_MissingTableDenied_AccessDeniedNotResourceNotFound()
    {
        _server.AddRole("AKIDNONE", "Nobody", "s", [Allow("\"dynamodb:GetItem\"", TableArnPrefix + "other")]);
        using var client = _server.Client("AKIDNONE", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = "SELECT * FROM \"absent\" WHERE PK = 'x'" }));

        Assert.Equal(Denied("Nobody", "dynamodb:PartiQLSelect", TableArnPrefix + "absent", "because no identity-based policy allows the dynamodb:PartiQLSelect action"), error.Message);
    }

    [Fact]
    public async Task BatchExecuteStatement_OneStatementDenied_WritesNothing()
    {
        var table = await _server.CreateTableAsync();
        var other = await _server.CreateTableAsync();
        _server.AddRole("AKIDBATCH", "Batch", "s", [Allow("\"dynamodb:PartiQLInsert\"", TableArnPrefix + table)]);
        using var client = _server.Client("AKIDBATCH", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'a'}}" },
                new BatchStatementRequest { Statement = $"INSERT INTO \"{other}\" VALUE {{'PK': 'a'}}" },
            ],
        }));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Null(await _server.ReadAsync(table, "a"));
        Assert.Null(await _server.ReadAsync(other, "a"));
    }
    [Fact]
    public async Task ExecuteTransaction_OneStatementsActionDenied_NothingWritten()
    {
        var table = await _server.CreateTableAsync();
        var arn = TableArnPrefix + table;
        using (var host = _server.HostClient())
        {
            await host.PutItemAsync(table, Item("a"));
        }

        _server.AddRole("AKIDTX", "Transactor", "s", [Allow("""["dynamodb:PartiQLUpdate","dynamodb:PartiQLSelect"]""", arn)]);
        using var client = _server.Client("AKIDTX", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new ParameterizedStatement { Statement = $"UPDATE \"{table}\" SET v = 'w' WHERE PK = 'a'" },
                new ParameterizedStatement { Statement = $"DELETE FROM \"{table}\" WHERE PK = 'b'" },
            ],
        }));
        var read = await client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements = [new ParameterizedStatement { Statement = $"SELECT v FROM \"{table}\" WHERE PK = ?", Parameters = [new AttributeValue { S = "a" }] }],
        });

        Assert.Equal(Denied("Transactor", "dynamodb:PartiQLDelete", arn, "because no identity-based policy allows the dynamodb:PartiQLDelete action"), error.Message);
        Assert.Equal("v", read.Responses[0].Item["v"].S);
    }
}
