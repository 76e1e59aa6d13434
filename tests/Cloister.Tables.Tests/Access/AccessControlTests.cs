using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cloister.Model.Network;
using Cloister.Policy;
using static Cloister.Tables.Tests.Access.AccessServer;

namespace Cloister.Tables.Tests.Access;

/// <summary>IAM authorization of requests, through the AWS SDK for .NET against a real service on loopback.</summary>
public sealed class AccessControlTests : IAsyncLifetime
{
    private AccessServer _server = null!;

    public async Task InitializeAsync() => _server = await AccessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PutItem_RoleAllowedPutItem_Writes()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDWRITER", "Writer", "writer-secret", [AccessServer.Allow("""["dynamodb:PutItem","dynamodb:GetItem"]""", AccessServer.TableArnPrefix + table)]);
        using var client = _server.Client("AKIDWRITER", "writer-secret");

        await client.PutItemAsync(table, Item("a"));
        var read = await client.GetItemAsync(table, Key("a"));

        Assert.Equal("v", read.Item["v"].S);
    }

    [Fact]
    public async Task TagResource_RoleAllowedOnlyListTags_DeniedAndNoTagAdded()
    {
        var table = await _server.CreateTableAsync();
        var arn = AccessServer.TableArnPrefix + table;
        _server.AddRole("AKIDTAGS", "TagReader", "tags-secret", [AccessServer.Allow("\"dynamodb:ListTagsOfResource\"", arn)]);
        using var client = _server.Client("AKIDTAGS", "tags-secret");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "k", Value = "v" }] }));
        var listed = await client.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn });

        Assert.Equal(Denied("TagReader", "dynamodb:TagResource", arn, "because no identity-based policy allows the dynamodb:TagResource action"), error.Message);
        Assert.Empty(listed.Tags ?? []);
    }

    [Fact]
    public async Task RestoreTableFromBackup_RoleAllowedOnlyBackupsOfItsTable_DeniedOnTheBackupAndNoTableMade()
    {
        var table = await _server.CreateTableAsync();
        var arn = AccessServer.TableArnPrefix + table;
        _server.AddRole("AKIDBACKUP", "Backup", "backup-secret",
            [AccessServer.Allow("""["dynamodb:CreateBackup","dynamodb:DescribeBackup"]""", arn + "*"), AccessServer.Allow("\"dynamodb:ListBackups\"")]);
        using var client = _server.Client("AKIDBACKUP", "backup-secret");

        var backup = (await client.CreateBackupAsync(new CreateBackupRequest { TableName = table, BackupName = "allowed" })).BackupDetails.BackupArn;
        var described = await client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backup });
        var listed = await client.ListBackupsAsync(new ListBackupsRequest { TableName = table });
        var restore = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backup, TargetTableName = table + "-copy" }));
        var delete = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = backup }));
        using var host = _server.HostClient();

        Assert.Equal("allowed", described.BackupDescription.BackupDetails.BackupName);
        Assert.Equal([backup], listed.BackupSummaries.Select(summary => summary.BackupArn));
        Assert.Equal(Denied("Backup", "dynamodb:RestoreTableFromBackup", backup, "because no identity-based policy allows the dynamodb:RestoreTableFromBackup action"), restore.Message);
        Assert.Equal(Denied("Backup", "dynamodb:DeleteBackup", backup, "because no identity-based policy allows the dynamodb:DeleteBackup action"), delete.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => host.DescribeTableAsync(table + "-copy"));
    }

    [Fact]
    public async Task RestoreTableToPointInTime_RoleAllowedOnlyOnAnotherTable_DeniedOnTheSourceAndAllowedWhereGranted()
    {
        var table = await _server.CreateTableAsync();
        var other = await _server.CreateTableAsync();
        using var host = _server.HostClient();
        foreach (var name in new[] { table, other })
        {
            await host.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = name,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
        }

        await host.PutItemAsync(other, Item("a"));
        _server.AddRole("AKIDPITR", "Recovery", "pitr-secret", [AccessServer.Allow("\"dynamodb:RestoreTableToPointInTime\"", AccessServer.TableArnPrefix + other)]);
        using var client = _server.Client("AKIDPITR", "pitr-secret");

        var denied = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableArn = AccessServer.TableArnPrefix + table, TargetTableName = table + "-copy", UseLatestRestorableTime = true }));
        var restored = await client.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = other, TargetTableName = other + "-copy", UseLatestRestorableTime = true });

        Assert.Equal(Denied("Recovery", "dynamodb:RestoreTableToPointInTime", AccessServer.TableArnPrefix + table,
            "because no identity-based policy allows the dynamodb:RestoreTableToPointInTime action"), denied.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => host.DescribeTableAsync(table + "-copy"));
        Assert.Equal(AccessServer.TableArnPrefix + other, restored.TableDescription.RestoreSummary.SourceTableArn);
    }

    [Fact]
    public async Task PutItem_RoleAllowedOnlyGetItem_AccessDeniedAndNothingWritten()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDREADER", "Reader", "reader-secret", [AccessServer.Allow("\"dynamodb:GetItem\"", AccessServer.TableArnPrefix + table)]);
        using var client = _server.Client("AKIDREADER", "reader-secret");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("a")));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(Denied("Reader", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:PutItem action"), error.Message);
        Assert.Null(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task PutItem_TableNameAnArn_AuthorizedOnThatTable()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDARN", "Writer", "arn-secret", [AccessServer.Allow("\"dynamodb:PutItem\"", AccessServer.TableArnPrefix + table)]);
        using var client = _server.Client("AKIDARN", "arn-secret");

        await client.PutItemAsync(AccessServer.TableArnPrefix + table, Item("a"));
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.DeleteItemAsync(AccessServer.TableArnPrefix + table, Item("a")));

        Assert.NotNull(await _server.ReadAsync(table, "a"));
        Assert.Equal(Denied("Writer", "dynamodb:DeleteItem", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:DeleteItem action"), error.Message);
    }

    [Fact]
    public async Task PutItem_Denied_BodyIsDynamoDbs()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDNONE", "Nobody", null, []);
        using var http = new HttpClient { BaseAddress = _server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{\"TableName\":\"" + table + "\",\"Item\":{\"PK\":{\"S\":\"a\"}}}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.PutItem");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDNONE/20261123/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $$"""{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"{{Denied("Nobody", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:PutItem action")}}"}""",
            body);
    }

    [Fact]
    public async Task PutItem_ExplicitDenyInIdentityPolicy_DeniedWithExplicitDeny()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDDENY", "Denied", "s", [
            AccessServer.Allow("\"dynamodb:*\""),
            AccessServer.Identity("""{"Effect":"Deny","Action":"dynamodb:PutItem","Resource":"*"}"""),
        ]);
        using var client = _server.Client("AKIDDENY", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("a")));

        Assert.Equal(Denied("Denied", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "with an explicit deny in an identity-based policy"), error.Message);
    }

    [Fact]
    public async Task PutItem_ResourcePolicyGrantsRoleWithoutIdentityAllow_Writes()
    {
        var table = await _server.CreateTableAsync($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{AccessServer.Account}}:role/Granted"},"Action":"dynamodb:PutItem","Resource":"*"}]}""");
        _server.AddRole("AKIDGRANTED", "Granted", "s", []);
        _server.AddRole("AKIDOTHER", "Other", "s", []);
        using var granted = _server.Client("AKIDGRANTED", "s");
        using var other = _server.Client("AKIDOTHER", "s");

        await granted.PutItemAsync(table, Item("a"));
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => other.PutItemAsync(table, Item("b")));

        Assert.NotNull(await _server.ReadAsync(table, "a"));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
    }

    [Fact]
    public async Task PutItem_ResourcePolicyDenyBeatsIdentityAllow_DeniedByResourcePolicy()
    {
        var table = await _server.CreateTableAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:PutItem","Resource":"*"}]}""");
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Allow("\"dynamodb:*\"")]);
        using var client = _server.Client("AKIDWRITER", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("a")));

        Assert.Equal(Denied("Writer", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "with an explicit deny in a resource-based policy"), error.Message);
        Assert.Null(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task PutItem_BoundaryWithoutPutItem_DeniedByPermissionsBoundary()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDBOUNDED", "Bounded", "s", [AccessServer.Allow("\"dynamodb:*\"")], AccessServer.Allow("\"dynamodb:GetItem\""));
        using var client = _server.Client("AKIDBOUNDED", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("a")));
        await client.GetItemAsync(table, Key("a"));

        Assert.Equal(Denied("Bounded", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "because no permissions boundary allows the dynamodb:PutItem action"), error.Message);
    }

    [Fact]
    public async Task PutItem_EndpointPolicyAllowsOnlyGetItem_DeniedByEndpointPolicy()
    {
        var table = await _server.CreateTableAsync();
        _server.EndpointPolicies["vpce-0123"] = AccessServer.Resource("""{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"*"}""");
        _server.Origin = new ServiceOrigin("vpc-1", "vpce-0123", "10.0.1.5");
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Allow("\"dynamodb:*\"")]);
        using var client = _server.Client("AKIDWRITER", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("a")));
        await client.GetItemAsync(table, Key("a"));

        Assert.Equal(Denied("Writer", "dynamodb:PutItem", AccessServer.TableArnPrefix + table, "because no VPC endpoint policy allows the dynamodb:PutItem action"), error.Message);
    }

    [Fact]
    public async Task PutItem_EndpointWithoutPolicy_HasAwsDefaultFullAccess()
    {
        var table = await _server.CreateTableAsync();
        _server.Origin = new ServiceOrigin("vpc-1", "vpce-nopolicy", "10.0.1.5");
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Allow("\"dynamodb:PutItem\"")]);
        using var client = _server.Client("AKIDWRITER", "s");

        await client.PutItemAsync(table, Item("a"));

        Assert.NotNull(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task GetItem_ResourcePolicyDeniesOutsideTheEndpoint_OnlyThroughItSucceeds()
    {
        var table = await _server.CreateTableAsync("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0123"}}}]}
            """);
        _server.AddRole("AKIDREADER", "Reader", "s", [AccessServer.Allow("\"dynamodb:GetItem\"")]);
        using (var outside = _server.Client("AKIDREADER", "s"))
        {
            var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => outside.GetItemAsync(table, Key("a")));
            Assert.EndsWith("with an explicit deny in a resource-based policy", error.Message, StringComparison.Ordinal);
        }

        _server.Origin = new ServiceOrigin("vpc-1", "vpce-0123", "10.0.1.5");
        using var inside = _server.Client("AKIDREADER", "s", freshConnections: true);
        var response = await inside.GetItemAsync(table, Key("a"));

        Assert.False(response.IsItemSet);
    }

    [Fact]
    public async Task PutItem_LeadingKeysCondition_OnlyTheCallersPartition()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDTENANT", "Tenant", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:GetItem","dynamodb:Query"],"Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:userid}"]}}}
            """)]);
        using var client = _server.Client("AKIDTENANT", "s");

        await client.PutItemAsync(table, Item("AROATENANT:session"));
        var other = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("someone-else")));
        var query = await client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "AROATENANT:session" } },
        });
        var otherQuery = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "someone-else" } },
        }));

        var own = await client.GetItemAsync(table, Key("AROATENANT:session"));
        var otherGet = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(table, Key("someone-else")));

        Assert.Equal("AccessDeniedException", other.ErrorCode);
        Assert.Null(await _server.ReadAsync(table, "someone-else"));
        Assert.Equal("v", own.Item["v"].S);
        Assert.Equal(Denied("Tenant", "dynamodb:GetItem", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:GetItem action"), otherGet.Message);
        Assert.Equal(1, query.Count);
        Assert.Equal("AccessDeniedException", otherQuery.ErrorCode);
    }

    [Fact]
    public async Task PutItem_LeadingKeysConditionInSessionPolicyOnly_OnlyTheCallersPartition()
    {
        // The role allows every write; the session policy AssumeRole was given reads dynamodb:LeadingKeys, a key the
        // connection must then fill although no identity policy reads it.
        var table = await _server.CreateTableAsync();
        var session = AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:GetItem"],"Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:userid}"]}}}
            """);
        _server.AddCaller("AKIDSCOPED", new CallerIdentity(
            RequestPrincipal.Aws("arn:aws:sts::000000000000:assumed-role/Scoped/session"), "AROASCOPED:session", "s",
            [AccessServer.Allow("\"dynamodb:*\"")], null, IsRoot: false)
        { SessionPolicies = [session] });
        using var client = _server.Client("AKIDSCOPED", "s");

        await client.PutItemAsync(table, Item("AROASCOPED:session"));
        var other = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("someone-else")));

        Assert.Equal("v", (await _server.ReadAsync(table, "AROASCOPED:session"))?["v"].S);
        Assert.Equal("AccessDeniedException", other.ErrorCode);
        Assert.Contains("because no session policy allows the dynamodb:PutItem action", other.Message, StringComparison.Ordinal);
        Assert.Null(await _server.ReadAsync(table, "someone-else"));
    }

    [Fact]
    public async Task UpdateItem_AttributesCondition_OnlyListedAttributes()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDEDITOR", "Editor", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":["PK","status"]},"StringEquals":{"dynamodb:ReturnValues":["NONE","UPDATED_NEW"]}}}
            """)]);
        using var client = _server.Client("AKIDEDITOR", "s");

        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a"),
            UpdateExpression = "SET #s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "OPEN" } },
        });
        var other = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a"),
            UpdateExpression = "SET secret = :s",
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "x" } },
        }));
        var allNew = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a"),
            UpdateExpression = "SET #s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "OPEN" } },
            ReturnValues = ReturnValue.ALL_NEW,
        }));

        Assert.Equal("OPEN", (await _server.ReadAsync(table, "a"))!["status"].S);
        Assert.Equal("AccessDeniedException", other.ErrorCode);
        Assert.Equal("AccessDeniedException", allNew.ErrorCode);
    }

    [Fact]
    public async Task PutItem_AttributesConditionWithAnExpectedEntryDynamoDbRefuses_TheExpectedMessage()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*","Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":["PK","status"]}}}
            """)]);
        using var client = _server.Client("AKIDWRITER", "s");

        // The authorizer reads Expected's attribute names first; it must read the entry as the operation does.
        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["PK"] = new AttributeValue { S = "a" }, ["status"] = new AttributeValue { S = "OPEN" } },
            Expected = new() { ["status"] = new ExpectedAttributeValue { Exists = true } },
        }));

        Assert.Equal("ValidationException", refused.ErrorCode);
        Assert.Equal("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: status", refused.Message);
        Assert.Null(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task GetItem_SelectAndAttributesConditions_OnlyProjectedReadsOfListedAttributes()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDVIEWER", "Viewer", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:BatchGetItem"],"Resource":"*",
             "Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":["PK","v"]},"StringEquals":{"dynamodb:Select":"SPECIFIC_ATTRIBUTES"}}}
            """)]);
        using var client = _server.Client("AKIDVIEWER", "s");

        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("a"), ProjectionExpression = "v" });
        var whole = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(table, Key("a")));
        var hidden = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("a"), ProjectionExpression = "v, secret" }));
        await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [table] = new KeysAndAttributes { Keys = [Key("a")], ProjectionExpression = "PK" } } });

        Assert.Equal("AccessDeniedException", whole.ErrorCode);
        Assert.Equal("AccessDeniedException", hidden.ErrorCode);
    }

    [Fact]
    public async Task BatchWriteItem_OneTableDenied_WritesNothing()
    {
        var allowed = await _server.CreateTableAsync();
        var denied = await _server.CreateTableAsync();
        _server.AddRole("AKIDBATCH", "Batch", "s", [AccessServer.Allow("\"dynamodb:BatchWriteItem\"", AccessServer.TableArnPrefix + allowed)]);
        using var client = _server.Client("AKIDBATCH", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [allowed] = [new WriteRequest(new PutRequest(Item("a")))],
                [denied] = [new WriteRequest(new PutRequest(Item("b")))],
            },
        }));

        Assert.Equal(Denied("Batch", "dynamodb:BatchWriteItem", AccessServer.TableArnPrefix + denied, "because no identity-based policy allows the dynamodb:BatchWriteItem action"), error.Message);
        Assert.Null(await _server.ReadAsync(allowed, "a"));
        Assert.Null(await _server.ReadAsync(denied, "b"));
    }

    [Fact]
    public async Task BatchWriteItem_TableArnKeys_AuthorizedOnThoseTables()
    {
        var allowed = await _server.CreateTableAsync();
        var denied = await _server.CreateTableAsync();
        _server.AddRole("AKIDBATCHARN", "BatchArn", "s", [AccessServer.Allow("\"dynamodb:BatchWriteItem\"", AccessServer.TableArnPrefix + allowed)]);
        using var client = _server.Client("AKIDBATCHARN", "s");

        await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [AccessServer.TableArnPrefix + allowed] = [new WriteRequest(new PutRequest(Item("a")))] } });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [AccessServer.TableArnPrefix + denied] = [new WriteRequest(new PutRequest(Item("b")))] },
        }));

        Assert.NotNull(await _server.ReadAsync(allowed, "a"));
        Assert.Equal(Denied("BatchArn", "dynamodb:BatchWriteItem", AccessServer.TableArnPrefix + denied, "because no identity-based policy allows the dynamodb:BatchWriteItem action"), error.Message);
        Assert.Null(await _server.ReadAsync(denied, "b"));
    }

    [Fact]
    public async Task TransactWriteItems_EachItemsOwnAction_DeleteDeniedWritesNothing()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDTX", "Tx", "s", [AccessServer.Identity("""
            {"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:ConditionCheckItem"],"Resource":"*",
             "Condition":{"StringEquals":{"dynamodb:EnclosingOperation":"TransactWriteItems"}}}
            """)]);
        using var client = _server.Client("AKIDTX", "s");
        var put = new TransactWriteItem { Put = new Put { TableName = table, Item = Item("a") } };

        await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = [put, new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = table, Key = Key("z"), ConditionExpression = "attribute_not_exists(PK)" } }],
        });
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = [new TransactWriteItem { Put = new Put { TableName = table, Item = Item("b") } }, new TransactWriteItem { Delete = new Delete { TableName = table, Key = Key("a") } }],
        }));
        var alone = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.PutItemAsync(table, Item("c")));

        Assert.Equal(Denied("Tx", "dynamodb:DeleteItem", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:DeleteItem action"), error.Message);
        Assert.NotNull(await _server.ReadAsync(table, "a"));
        Assert.Null(await _server.ReadAsync(table, "b"));
        Assert.Equal("AccessDeniedException", alone.ErrorCode);
    }

    [Fact]
    public async Task Query_IndexPolicy_ChecksTheIndexArn()
    {
        var table = await _server.CreateTableAsync(index: "byG");
        _server.AddRole("AKIDINDEX", "Index", "s", [AccessServer.Allow("\"dynamodb:Query\"", AccessServer.TableArnPrefix + table + "/index/byG")]);
        using var client = _server.Client("AKIDINDEX", "s");
        var query = new QueryRequest
        {
            TableName = table,
            IndexName = "byG",
            KeyConditionExpression = "G = :g",
            ExpressionAttributeValues = new() { [":g"] = new AttributeValue { S = "x" } },
        };

        var response = await client.QueryAsync(query);
        query.IndexName = null;
        query.KeyConditionExpression = "PK = :g";
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.QueryAsync(query));

        Assert.Equal(0, response.Count);
        Assert.Contains($"on resource: {AccessServer.TableArnPrefix}{table} because", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutItem_PolicyOnConnectionKeys_SeesPlainHttpAndTheClientAddress()
    {
        var table = await _server.CreateTableAsync("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteItem","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Effect":"Deny","Principal":"*","Action":"dynamodb:PutItem","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}
            """);
        _server.Origin = ServiceOrigin.Outside("192.0.2.7");
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Allow("\"dynamodb:*\"")]);
        using var client = _server.Client("AKIDWRITER", "s");

        await client.PutItemAsync(table, Item("a"));
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.DeleteItemAsync(table, Key("a")));

        Assert.EndsWith("with an explicit deny in a resource-based policy", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await _server.ReadAsync(table, "a"));
    }

    [Fact]
    public async Task ListTables_UnknownKey_UnrecognizedClient()
    {
        using var client = _server.Client("AKIDUNKNOWN", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ListTablesAsync());

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public async Task ListTables_WrongSecret_InvalidSignature_UncheckableSecretAccepted()
    {
        _server.AddRole("AKIDCHECKED", "Checked", "right-secret", [AccessServer.Allow("\"dynamodb:ListTables\"")]);
        _server.AddRole("AKIDUNCHECKED", "Unchecked", null, [AccessServer.Allow("\"dynamodb:ListTables\"")]);
        using var wrong = _server.Client("AKIDCHECKED", "wrong-secret");
        using var anySecret = _server.Client("AKIDUNCHECKED", "anything");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => wrong.ListTablesAsync());
        await anySecret.ListTablesAsync();

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.StartsWith("The request signature we calculated does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTables_NotAllowed_DeniedOnAllTables()
    {
        _server.AddRole("AKIDNONE", "Nobody", "s", []);
        using var client = _server.Client("AKIDNONE", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ListTablesAsync());

        Assert.Equal(Denied("Nobody", "dynamodb:ListTables", AccessServer.TableArnPrefix + "*", "because no identity-based policy allows the dynamodb:ListTables action"), error.Message);
    }

    [Fact]
    public async Task Post_Unsigned_MissingAuthenticationToken()
    {
        using var http = new HttpClient { BaseAddress = _server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HostConnection_Unsigned_NotAuthorized()
    {
        using var http = new HttpClient { BaseAddress = _server.HostUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _server.OriginLookups);
    }

    [Fact]
    public async Task PutItem_Root_AllowedWithoutPoliciesButStoppedByResourcePolicyDeny()
    {
        var open = await _server.CreateTableAsync();
        var closed = await _server.CreateTableAsync($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"{{AccessServer.Account}}"},"Action":"dynamodb:PutItem","Resource":"*"}]}""");
        _server.AddRoot("AKIDROOT", "root-secret");
        using var root = _server.Client("AKIDROOT", "root-secret");

        await root.PutItemAsync(open, Item("a"));
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => root.PutItemAsync(closed, Item("a")));
        await root.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { ResourceArn = AccessServer.TableArnPrefix + closed });
        await root.PutItemAsync(closed, Item("a"));

        Assert.Equal($"User: arn:aws:iam::{AccessServer.Account}:root is not authorized to perform: dynamodb:PutItem on resource: {AccessServer.TableArnPrefix}{closed} with an explicit deny in a resource-based policy", error.Message);
        Assert.NotNull(await _server.ReadAsync(closed, "a"));
    }

    [Fact]
    public async Task PutResourcePolicy_RoleWithoutThePermission_Denied_WithItSucceeds()
    {
        var table = await _server.CreateTableAsync();
        const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"dynamodb:GetItem","Resource":"*"}]}""";
        _server.AddRole("AKIDREADER", "Reader", "s", [AccessServer.Allow("\"dynamodb:GetItem\"")]);
        _server.AddRole("AKIDADMIN", "Admin", "s", [AccessServer.Allow("""["dynamodb:PutResourcePolicy","dynamodb:GetResourcePolicy"]""")]);
        using var reader = _server.Client("AKIDREADER", "s");
        using var admin = _server.Client("AKIDADMIN", "s");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            reader.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = AccessServer.TableArnPrefix + table, Policy = Document }));
        await admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { ResourceArn = AccessServer.TableArnPrefix + table, Policy = Document });
        var got = await admin.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = AccessServer.TableArnPrefix + table });

        Assert.Equal(Denied("Reader", "dynamodb:PutResourcePolicy", AccessServer.TableArnPrefix + table, "because no identity-based policy allows the dynamodb:PutResourcePolicy action"), error.Message);
        Assert.Equal(Document, got.Policy);
    }

    [Fact]
    public async Task CreateTable_WithResourcePolicy_NeedsPutResourcePolicyToo()
    {
        _server.AddRole("AKIDCREATOR", "Creator", "s", [AccessServer.Allow("\"dynamodb:CreateTable\"")]);
        using var client = _server.Client("AKIDCREATOR", "s");
        var name = TablesServerFixture.UniqueName("t");

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            ResourcePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"*"}]}""",
        }));

        Assert.Equal(Denied("Creator", "dynamodb:PutResourcePolicy", AccessServer.TableArnPrefix + name, "because no identity-based policy allows the dynamodb:PutResourcePolicy action"), error.Message);
        using var host = _server.HostClient();
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => host.DescribeTableAsync(name));
    }

    [Fact]
    public async Task Requests_OneConnection_OriginLookedUpOnceCallerEachRequest()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRole("AKIDWRITER", "Writer", "s", [AccessServer.Allow("\"dynamodb:*\"")]);
        using var client = _server.Client("AKIDWRITER", "s");

        for (var i = 0; i < 5; i++)
        {
            await client.PutItemAsync(table, Item("k" + i));
        }

        // The origin of a connection never changes; the key's identity may (a deployment swaps its role's policies),
        // so each request asks the directory again, a dictionary lookup.
        Assert.Equal(1, _server.OriginLookups);
        Assert.Equal(5, _server.CallerLookups);
    }
}
