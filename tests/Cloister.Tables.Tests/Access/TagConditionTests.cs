using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Cloister.Tables.Tests.Access.AccessServer;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// Attribute-based access control on tables: <c>aws:ResourceTag/KEY</c> from the table's tags as they are at the call,
/// <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c> of the tags a request sets or removes, through the AWS SDK for .NET
/// (SigV4-signed) against a real service on loopback.
/// </summary>
public sealed class TagConditionTests : IAsyncLifetime
{
    private AccessServer _server = null!;

    public async Task InitializeAsync() => _server = await AccessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Arn(string table) => AccessServer.TableArnPrefix + table;

    private static string NoAllow(string action) => $"because no identity-based policy allows the {action} action";

    /// <summary>A table made and tagged <paramref name="key"/> = <paramref name="value"/> through the host's own listener.</summary>
    private async Task<string> TaggedTableAsync(string key, string value, string? index = null)
    {
        var table = await _server.CreateTableAsync(index: index);
        await TagAsync(table, key, value);
        return table;
    }

    /// <summary>Tags a table through the host's own listener (not authorized).</summary>
    private async Task TagAsync(string table, string key, string value)
    {
        using var host = _server.HostClient();
        await host.TagResourceAsync(new TagResourceRequest { ResourceArn = Arn(table), Tags = [new Tag { Key = key, Value = value }] });
    }

    private async Task<List<string>> TagsOfAsync(string table)
    {
        using var host = _server.HostClient();
        var listed = await host.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = Arn(table) });
        return [.. (listed.Tags ?? []).Select(tag => tag.Key + "=" + tag.Value)];
    }

    /// <summary>A role allowed GetItem and PutItem on every table whose <c>team</c> tag is <c>claims</c>.</summary>
    private void AddClaimsTeamRole(string keyId, string role) =>
        _server.AddRole(keyId, role, "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/*",
             "Condition":{"StringEquals":{"aws:ResourceTag/team":"claims"}}}
            """)]);

    [Fact]
    public async Task GetItemPutItem_AllowedOnResourceTag_OnlyTheTaggedTeamsTable()
    {
        var claims = await TaggedTableAsync("team", "claims");
        var billing = await TaggedTableAsync("team", "billing");
        var untagged = await _server.CreateTableAsync();
        AddClaimsTeamRole("AKIDCLAIMS", "Claims");
        using var client = _server.Client("AKIDCLAIMS", "s");

        await client.PutItemAsync(claims, Item("a"));
        var read = await client.GetItemAsync(claims, Key("a"));
        var otherTeam = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(billing, Item("a")));
        var noTag = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(untagged, Key("a")));

        Assert.Equal("v", read.Item["v"].S);
        Assert.Equal(Denied("Claims", "dynamodb:PutItem", Arn(billing), NoAllow("dynamodb:PutItem")), otherTeam.Message);
        Assert.Equal(Denied("Claims", "dynamodb:GetItem", Arn(untagged), NoAllow("dynamodb:GetItem")), noTag.Message);
        Assert.Null(await _server.ReadAsync(billing, "a"));
    }

    [Fact]
    public async Task PutItem_ResourceTagEqualToPrincipalTag_EachTeamOnlyItsOwnTable()
    {
        var claims = await TaggedTableAsync("team", "claims");
        var billing = await TaggedTableAsync("team", "billing");
        var policy = AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}
            """);
        _server.AddTaggedRole("AKIDTEAMCLAIMS", "ClaimsTeam", "s", new Dictionary<string, string> { ["team"] = "claims" }, [policy]);
        _server.AddTaggedRole("AKIDTEAMBILLING", "BillingTeam", "s", new Dictionary<string, string> { ["team"] = "billing" }, [policy]);
        using var claimsTeam = _server.Client("AKIDTEAMCLAIMS", "s");
        using var billingTeam = _server.Client("AKIDTEAMBILLING", "s");

        await claimsTeam.PutItemAsync(claims, Item("a"));
        await billingTeam.PutItemAsync(billing, Item("a"));
        var crossed = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => claimsTeam.PutItemAsync(billing, Item("b")));

        Assert.NotNull(await _server.ReadAsync(claims, "a"));
        Assert.NotNull(await _server.ReadAsync(billing, "a"));
        Assert.Equal(Denied("ClaimsTeam", "dynamodb:PutItem", Arn(billing), NoAllow("dynamodb:PutItem")), crossed.Message);
        Assert.Null(await _server.ReadAsync(billing, "b"));
    }

    [Fact]
    public async Task GetItem_TableRetaggedAndUntagged_NextDecisionFollowsTheTags()
    {
        var table = await TaggedTableAsync("team", "billing");
        using var host = _server.HostClient();
        await host.PutItemAsync(table, Item("a"));
        AddClaimsTeamRole("AKIDRETAG", "Retag");
        using var client = _server.Client("AKIDRETAG", "s");

        var before = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(table, Key("a")));
        await TagAsync(table, "team", "claims");
        var retagged = await client.GetItemAsync(table, Key("a"));
        await host.UntagResourceAsync(new UntagResourceRequest { ResourceArn = Arn(table), TagKeys = ["team"] });
        var untagged = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(table, Key("a")));

        Assert.Equal("AccessDeniedException", before.ErrorCode);
        Assert.Equal("v", retagged.Item["v"].S);
        Assert.Equal(Denied("Retag", "dynamodb:GetItem", Arn(table), NoAllow("dynamodb:GetItem")), untagged.Message);
    }

    [Fact]
    public async Task Operations_DenyOnResourceTag_DeniedOnTheTableAndItsIndexOnly()
    {
        var production = await TaggedTableAsync("env", "prod", index: "byG");
        var test = await TaggedTableAsync("env", "test", index: "byG");
        _server.AddRole("AKIDDENY", "Deny", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
            {"Effect":"Deny","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:DescribeTable"],"Resource":"*",
             "Condition":{"StringEquals":{"aws:ResourceTag/env":"prod"}}}
            """)]);
        using var client = _server.Client("AKIDDENY", "s");
        QueryRequest Query(string table) => new()
        {
            TableName = table,
            IndexName = "byG",
            KeyConditionExpression = "G = :g",
            ExpressionAttributeValues = new() { [":g"] = new AttributeValue { S = "x" } },
        };

        var get = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(production, Key("a")));
        var query = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(Query(production)));
        var describe = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.DescribeTableAsync(production));
        await client.PutItemAsync(production, Item("a"));
        var testQuery = await client.QueryAsync(Query(test));
        var testDescribe = await client.DescribeTableAsync(test);

        const string ExplicitDeny = "with an explicit deny in an identity-based policy";
        Assert.Equal(Denied("Deny", "dynamodb:GetItem", Arn(production), ExplicitDeny), get.Message);
        Assert.Equal(Denied("Deny", "dynamodb:Query", Arn(production) + "/index/byG", ExplicitDeny), query.Message);
        Assert.Equal(Denied("Deny", "dynamodb:DescribeTable", Arn(production), ExplicitDeny), describe.Message);
        Assert.NotNull(await _server.ReadAsync(production, "a"));
        Assert.Equal(0, testQuery.Count);
        Assert.Equal(test, testDescribe.Table.TableName);
    }

    [Fact]
    public async Task TagResource_ForAllValuesOnTagKeysAndRequestTag_OnlyTheAllowedTagSet()
    {
        var table = await TaggedTableAsync("owner", "host");
        _server.AddRole("AKIDTAGGER", "Tagger", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:TagResource","Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]},"StringEquals":{"aws:RequestTag/env":["test","dev"]}}},
            {"Effect":"Allow","Action":"dynamodb:UntagResource","Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}
            """)]);
        using var client = _server.Client("AKIDTAGGER", "s");
        TagResourceRequest Tagging(params Tag[] tags) => new() { ResourceArn = Arn(table), Tags = [.. tags] };

        await client.TagResourceAsync(Tagging(new Tag { Key = "env", Value = "test" }));
        var wrongValue = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.TagResourceAsync(Tagging(new Tag { Key = "env", Value = "prod" })));
        var extraKey = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.TagResourceAsync(Tagging(new Tag { Key = "env", Value = "dev" }, new Tag { Key = "owner", Value = "me" })));
        var untagOwner = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = Arn(table), TagKeys = ["env", "owner"] }));
        await client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = Arn(table), TagKeys = ["env"] });

        Assert.Equal(Denied("Tagger", "dynamodb:TagResource", Arn(table), NoAllow("dynamodb:TagResource")), wrongValue.Message);
        Assert.Equal("AccessDeniedException", extraKey.ErrorCode);
        Assert.Equal(Denied("Tagger", "dynamodb:UntagResource", Arn(table), NoAllow("dynamodb:UntagResource")), untagOwner.Message);
        Assert.Equal(["owner=host"], await TagsOfAsync(table));
    }

    [Fact]
    public async Task CreateTable_WithTags_AlsoChecksTagResourceWithTheRequestTags()
    {
        _server.AddRole("AKIDCREATOR", "Creator", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:CreateTable","dynamodb:TagResource"],"Resource":"*",
             "Condition":{"StringEquals":{"aws:RequestTag/team":"claims"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}
            """)]);
        _server.AddRole("AKIDCREATEONLY", "CreateOnly", "s", [AccessServer.Allow("\"dynamodb:CreateTable\"")]);
        using var creator = _server.Client("AKIDCREATOR", "s");
        using var createOnly = _server.Client("AKIDCREATEONLY", "s");
        CreateTableRequest Create(string name, params Tag[] tags) => new()
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            Tags = tags.Length == 0 ? null : [.. tags],
        };
        var allowed = TablesServerFixture.UniqueName("t");
        var otherTeam = TablesServerFixture.UniqueName("t");
        var untagged = TablesServerFixture.UniqueName("t");
        var tagsNotAllowed = TablesServerFixture.UniqueName("t");

        await creator.CreateTableAsync(Create(allowed, new Tag { Key = "team", Value = "claims" }));
        var wrongTeam = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => creator.CreateTableAsync(Create(otherTeam, new Tag { Key = "team", Value = "billing" })));
        await createOnly.CreateTableAsync(Create(untagged));
        var noTagging = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => createOnly.CreateTableAsync(Create(tagsNotAllowed, new Tag { Key = "team", Value = "claims" })));
        using var host = _server.HostClient();

        Assert.Equal(["team=claims"], await TagsOfAsync(allowed));
        Assert.Equal(Denied("Creator", "dynamodb:CreateTable", Arn(otherTeam), NoAllow("dynamodb:CreateTable")), wrongTeam.Message);
        Assert.Equal(Denied("CreateOnly", "dynamodb:TagResource", Arn(tagsNotAllowed), NoAllow("dynamodb:TagResource")), noTagging.Message);
        Assert.Equal(untagged, (await host.DescribeTableAsync(untagged)).Table.TableName);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => host.DescribeTableAsync(otherTeam));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => host.DescribeTableAsync(tagsNotAllowed));
    }

    [Fact]
    public async Task TransactWriteItems_TablesWithDifferentTags_EachJudgedOnItsOwnAndNothingWritten()
    {
        var claims = await TaggedTableAsync("team", "claims");
        var alsoClaims = await TaggedTableAsync("team", "claims");
        var billing = await TaggedTableAsync("env", "prod");
        AddClaimsTeamRole("AKIDTXTAGS", "TxTags");
        using var client = _server.Client("AKIDTXTAGS", "s");
        static TransactWriteItem Put(string table, string pk) => new() { Put = new Put { TableName = table, Item = Item(pk) } };

        await client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [Put(claims, "a"), Put(alsoClaims, "a")] });
        // The claims table is checked first: its tags must not stand for the next table's.
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [Put(claims, "b"), Put(billing, "b")] }));

        Assert.Equal(Denied("TxTags", "dynamodb:PutItem", Arn(billing), NoAllow("dynamodb:PutItem")), error.Message);
        Assert.NotNull(await _server.ReadAsync(alsoClaims, "a"));
        Assert.Null(await _server.ReadAsync(claims, "b"));
        Assert.Null(await _server.ReadAsync(billing, "b"));
    }

    [Fact]
    public async Task BatchGetItem_TablesWithDifferentTags_DeniedOnTheOtherTeamsTable()
    {
        var claims = await TaggedTableAsync("team", "claims");
        var billing = await TaggedTableAsync("team", "billing");
        _server.AddRole("AKIDBATCH", "Batch", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:BatchGetItem","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"claims"}}}
            """)]);
        using var client = _server.Client("AKIDBATCH", "s");
        static KeysAndAttributes Keys() => new() { Keys = [Key("a")] };

        var alone = await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [claims] = Keys() } });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [claims] = Keys(), [billing] = Keys() } }));

        Assert.Empty(alone.Responses[claims]);
        Assert.Equal(Denied("Batch", "dynamodb:BatchGetItem", Arn(billing), NoAllow("dynamodb:BatchGetItem")), error.Message);
    }
}
