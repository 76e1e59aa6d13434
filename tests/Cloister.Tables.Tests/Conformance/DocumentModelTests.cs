using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Conformance;

/// <summary>The .NET SDK's document model (Table, Document) and object persistence model (DynamoDBContext).</summary>
public sealed class DocumentModelTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private readonly AmazonDynamoDBClient _client = fixture.CreateClient();

    private async Task<string> CreateClaimsTableAsync()
    {
        var name = TablesServerFixture.UniqueName("claims");
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S), new AttributeDefinition("SK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH), new KeySchemaElement("SK", KeyType.RANGE)],
        });
        return name;
    }

    [Fact]
    public async Task Table_PutGetUpdateQueryDelete_RoundTrips()
    {
        var name = await CreateClaimsTableAsync();
        var table = new TableBuilder(_client, name).AddHashKey("PK", DynamoDBEntryType.String).AddRangeKey("SK", DynamoDBEntryType.String).Build();
        var document = new Document { ["PK"] = "CUSTOMER#1", ["SK"] = "CLAIM#1", ["amount"] = 12.5m, ["tags"] = new PrimitiveList(DynamoDBEntryType.String) };
        ((PrimitiveList)document["tags"]).Add("urgent");
        await table.PutItemAsync(document);

        var update = new Document { ["PK"] = "CUSTOMER#1", ["SK"] = "CLAIM#1", ["status"] = "OPEN" };
        await table.UpdateItemAsync(update);
        await table.PutItemAsync(new Document { ["PK"] = "CUSTOMER#1", ["SK"] = "CLAIM#2", ["amount"] = 3 });
        var loaded = await table.GetItemAsync("CUSTOMER#1", "CLAIM#1");
        var search = table.Query("CUSTOMER#1", new QueryFilter("SK", QueryOperator.BeginsWith, "CLAIM#"));
        var all = await search.GetRemainingAsync();
        await table.DeleteItemAsync("CUSTOMER#1", "CLAIM#2");
        var deleted = await table.GetItemAsync("CUSTOMER#1", "CLAIM#2");

        Assert.Equal(12.5m, loaded["amount"].AsDecimal());
        Assert.Equal("OPEN", loaded["status"].AsString());
        Assert.Equal(2, all.Count);
        Assert.Null(deleted);
    }

    [Fact]
    public async Task Context_SaveLoadQuery_RoundTrips()
    {
        var name = await CreateClaimsTableAsync();
        var context = new DynamoDBContextBuilder().WithDynamoDBClient(() => _client).Build();
        var config = new SaveConfig { OverrideTableName = name };
        await context.SaveAsync(new Claim { PK = "C#1", SK = "CLAIM#a", Amount = 7, Notes = ["first"] }, config);
        await context.SaveAsync(new Claim { PK = "C#1", SK = "CLAIM#b", Amount = 9, Notes = [] }, config);

        var loaded = await context.LoadAsync<Claim>("C#1", "CLAIM#a", new LoadConfig { OverrideTableName = name });
        var claims = await context.QueryAsync<Claim>("C#1", new QueryConfig { OverrideTableName = name }).GetRemainingAsync();

        Assert.Equal(7, loaded.Amount);
        Assert.Equal(["first"], loaded.Notes);
        Assert.Equal(["CLAIM#a", "CLAIM#b"], claims.Select(claim => claim.SK));
    }

    [DynamoDBTable("Claims")]
    public sealed class Claim
    {
        [DynamoDBHashKey]
        public string PK { get; set; } = "";

        [DynamoDBRangeKey]
        public string SK { get; set; } = "";

        public int Amount { get; set; }

        public List<string> Notes { get; set; } = [];
    }
}
