using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Conformance;

/// <summary>The AWS SDK for .NET's low-level client against the real service over loopback.</summary>
public sealed class LowLevelClientTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private readonly AmazonDynamoDBClient _client = fixture.CreateClient();

    private async Task<string> CreateTableAsync(bool withRange = true, Action<CreateTableRequest>? configure = null)
    {
        var name = TablesServerFixture.UniqueName("t");
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        };
        if (withRange)
        {
            request.AttributeDefinitions.Add(new AttributeDefinition("SK", ScalarAttributeType.N));
            request.KeySchema.Add(new KeySchemaElement("SK", KeyType.RANGE));
        }

        configure?.Invoke(request);
        var response = await _client.CreateTableAsync(request);
        Assert.Equal(TableStatus.ACTIVE, response.TableDescription.TableStatus);
        return name;
    }

    private static Dictionary<string, AttributeValue> Key(string pk, int sk) => new()
    {
        ["PK"] = new AttributeValue { S = pk },
        ["SK"] = new AttributeValue { N = sk.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Fact]
    public async Task PutItem_ThenGetItem_ReturnsEveryAttributeType()
    {
        var table = await CreateTableAsync();
        var item = Key("a", 1);
        item["s"] = new AttributeValue { S = "text" };
        item["n"] = new AttributeValue { N = "0012.3400" };
        item["b"] = new AttributeValue { B = new MemoryStream([1, 2, 3]) };
        item["bool"] = new AttributeValue { BOOL = true };
        item["null"] = new AttributeValue { NULL = true };
        item["m"] = new AttributeValue { M = new() { ["inner"] = new AttributeValue { S = "x" } } };
        item["l"] = new AttributeValue { L = [new AttributeValue { N = "1" }, new AttributeValue { S = "two" }] };
        item["ss"] = new AttributeValue { SS = ["a", "b"] };
        item["ns"] = new AttributeValue { NS = ["1", "2.5"] };
        item["bs"] = new AttributeValue { BS = [new MemoryStream([9])] };
        await _client.PutItemAsync(table, item);

        var got = await _client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key("a", 1), ConsistentRead = true });

        Assert.Equal("text", got.Item["s"].S);
        Assert.Equal("12.34", got.Item["n"].N);
        Assert.Equal(new byte[] { 1, 2, 3 }, got.Item["b"].B.ToArray());
        Assert.True(got.Item["bool"].BOOL);
        Assert.True(got.Item["null"].NULL);
        Assert.Equal("x", got.Item["m"].M["inner"].S);
        Assert.Equal("two", got.Item["l"].L[1].S);
        Assert.Equal(["a", "b"], got.Item["ss"].SS);
        Assert.Equal(["1", "2.5"], got.Item["ns"].NS);
        Assert.Equal(new byte[] { 9 }, got.Item["bs"].BS[0].ToArray());
    }

    [Fact]
    public async Task PutItem_MissingKey_ThrowsValidationWithDynamoMessage()
    {
        var table = await CreateTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _client.PutItemAsync(table, new() { ["SK"] = new AttributeValue { N = "1" } }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("One or more parameter values were invalid: Missing the key PK in the item", error.Message);
    }

    [Fact]
    public async Task PutItem_ConditionFails_ThrowsConditionalCheckFailedWithOldItem()
    {
        var table = await CreateTableAsync();
        var item = Key("a", 1);
        item["v"] = new AttributeValue { N = "1" };
        await _client.PutItemAsync(table, item);

        var error = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Key("a", 1),
            ConditionExpression = "attribute_not_exists(PK)",
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        }));
        Assert.Equal("The conditional request failed", error.Message);
        Assert.Equal("1", error.Item["v"].N);
    }

    [Fact]
    public async Task UpdateItem_SetAddRemoveDelete_ReturnsUpdatedNew()
    {
        var table = await CreateTableAsync();
        var item = Key("a", 1);
        item["tags"] = new AttributeValue { SS = ["x", "y"] };
        item["gone"] = new AttributeValue { S = "bye" };
        item["doc"] = new AttributeValue { M = new() { ["list"] = new AttributeValue { L = [new AttributeValue { N = "1" }] } } };
        await _client.PutItemAsync(table, item);

        var response = await _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a", 1),
            UpdateExpression = "SET #c = if_not_exists(#c, :zero) + :one, doc.#l = list_append(doc.#l, :more), doc.#new = :v REMOVE gone ADD visits :one DELETE tags :x",
            ExpressionAttributeNames = new() { ["#c"] = "count", ["#new"] = "new", ["#l"] = "list" },
            ExpressionAttributeValues = new()
            {
                [":zero"] = new AttributeValue { N = "0" },
                [":one"] = new AttributeValue { N = "1" },
                [":more"] = new AttributeValue { L = [new AttributeValue { N = "2" }] },
                [":v"] = new AttributeValue { S = "v" },
                [":x"] = new AttributeValue { SS = ["x"] },
            },
            ReturnValues = ReturnValue.ALL_NEW,
        });

        Assert.Equal("1", response.Attributes["count"].N);
        Assert.Equal("1", response.Attributes["visits"].N);
        Assert.Equal(["y"], response.Attributes["tags"].SS);
        Assert.False(response.Attributes.ContainsKey("gone"));
        Assert.Equal(2, response.Attributes["doc"].M["list"].L.Count);
        Assert.Equal("v", response.Attributes["doc"].M["new"].S);
    }

    [Fact]
    public async Task UpdateItem_ReservedWordWithoutName_ThrowsValidation()
    {
        var table = await CreateTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a", 1),
            UpdateExpression = "SET status = :s",
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "x" } },
        }));
        Assert.Equal("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status", error.Message);
    }

    [Fact]
    public async Task UpdateItem_UnusedValue_ThrowsValidation()
    {
        var table = await CreateTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Key("a", 1),
            UpdateExpression = "SET a = :a",
            ExpressionAttributeValues = new() { [":a"] = new AttributeValue { S = "x" }, [":b"] = new AttributeValue { S = "y" } },
        }));
        Assert.Equal("Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}", error.Message);
    }

    [Fact]
    public async Task Query_NumericSortKey_OrdersNumericallyAndPaginates()
    {
        var table = await CreateTableAsync();
        foreach (var sk in new[] { 10, -5, 2, 100, 0, 7 })
        {
            await _client.PutItemAsync(table, Key("p", sk));
        }

        var seen = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        var pages = 0;
        do
        {
            var page = await _client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "PK = :p AND SK BETWEEN :lo AND :hi",
                ExpressionAttributeValues = new() { [":p"] = new AttributeValue { S = "p" }, [":lo"] = new AttributeValue { N = "-5" }, [":hi"] = new AttributeValue { N = "10" } },
                Limit = 2,
                ExclusiveStartKey = start,
            });
            seen.AddRange(page.Items.Select(item => item["SK"].N));
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
            pages++;
        }
        while (start is not null);

        Assert.Equal(["-5", "0", "2", "7", "10"], seen);
        Assert.True(pages >= 3);
    }

    [Fact]
    public async Task Query_BackwardWithFilterAndCount_CountsMatches()
    {
        var table = await CreateTableAsync();
        for (var i = 0; i < 5; i++)
        {
            var item = Key("p", i);
            item["even"] = new AttributeValue { BOOL = i % 2 == 0 };
            await _client.PutItemAsync(table, item);
        }

        var backward = await _client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "PK = :p",
            FilterExpression = "even = :t",
            ExpressionAttributeValues = new() { [":p"] = new AttributeValue { S = "p" }, [":t"] = new AttributeValue { BOOL = true } },
            ScanIndexForward = false,
        });
        var count = await _client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "PK = :p",
            ExpressionAttributeValues = new() { [":p"] = new AttributeValue { S = "p" } },
            Select = Select.COUNT,
        });

        Assert.Equal(["4", "2", "0"], backward.Items.Select(item => item["SK"].N));
        Assert.Equal(5, backward.ScannedCount);
        Assert.Equal(5, count.Count);
    }

    [Fact]
    public async Task Query_GlobalSecondaryIndex_ReturnsProjectedItems()
    {
        var table = await CreateTableAsync(configure: request =>
        {
            request.AttributeDefinitions.Add(new AttributeDefinition("email", ScalarAttributeType.S));
            request.GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "byEmail",
                    KeySchema = [new KeySchemaElement("email", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ];
        });
        var item = Key("a", 1);
        item["email"] = new AttributeValue { S = "x@example.com" };
        item["other"] = new AttributeValue { S = "hidden" };
        await _client.PutItemAsync(table, item);
        await _client.PutItemAsync(table, Key("b", 2));

        var result = await _client.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = "byEmail",
            KeyConditionExpression = "email = :e",
            ExpressionAttributeValues = new() { [":e"] = new AttributeValue { S = "x@example.com" } },
        });

        var only = Assert.Single(result.Items);
        Assert.Equal("a", only["PK"].S);
        Assert.False(only.ContainsKey("other"));
        var description = await _client.DescribeTableAsync(table);
        Assert.Equal(1, description.Table.GlobalSecondaryIndexes[0].ItemCount);
    }

    [Fact]
    public async Task Scan_Segments_CoverEveryItemExactlyOnce()
    {
        var table = await CreateTableAsync(withRange: false);
        for (var i = 0; i < 40; i++)
        {
            await _client.PutItemAsync(table, new() { ["PK"] = new AttributeValue { S = "k" + i } });
        }

        var keys = new List<string>();
        for (var segment = 0; segment < 4; segment++)
        {
            var page = await _client.ScanAsync(new ScanRequest { TableName = table, Segment = segment, TotalSegments = 4 });
            keys.AddRange(page.Items.Select(item => item["PK"].S));
        }

        Assert.Equal(40, keys.Count);
        Assert.Equal(40, keys.Distinct().Count());
    }

    [Fact]
    public async Task BatchWriteAndBatchGet_RoundTrip_ReturnsAllItems()
    {
        var table = await CreateTableAsync();
        var write = await _client.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [table] = [.. Enumerable.Range(0, 25).Select(i => new WriteRequest(new PutRequest(Key("b", i))))],
            },
        });
        var read = await _client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = [.. Enumerable.Range(0, 25).Select(i => Key("b", i))] } },
        });

        Assert.Empty(write.UnprocessedItems ?? []);
        Assert.Equal(25, read.Responses[table].Count);
    }

    [Fact]
    public async Task TransactWriteItems_ConditionFails_CancelsEverythingWithReasons()
    {
        var table = await CreateTableAsync();
        await _client.PutItemAsync(table, Key("t", 1));

        var error = await Assert.ThrowsAsync<TransactionCanceledException>(() => _client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Key("t", 2) } },
                new TransactWriteItem { Put = new Put { TableName = table, Item = Key("t", 1), ConditionExpression = "attribute_not_exists(PK)" } },
            ],
        }));
        var absent = await _client.GetItemAsync(table, Key("t", 2));

        Assert.Equal(["None", "ConditionalCheckFailed"], error.CancellationReasons.Select(reason => reason.Code));
        Assert.False(absent.IsItemSet);
    }

    [Fact]
    public async Task TransactWriteItems_SameTokenTwice_AppliesOnce()
    {
        var table = await CreateTableAsync();
        var request = new TransactWriteItemsRequest
        {
            ClientRequestToken = Guid.NewGuid().ToString(),
            TransactItems =
            [
                new TransactWriteItem
                {
                    Update = new Update
                    {
                        TableName = table,
                        Key = Key("c", 1),
                        UpdateExpression = "ADD n :one",
                        ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" } },
                    },
                },
            ],
        };
        await _client.TransactWriteItemsAsync(request);
        await _client.TransactWriteItemsAsync(request);
        var got = await _client.TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems = [new TransactGetItem { Get = new Get { TableName = table, Key = Key("c", 1) } }],
        });

        Assert.Equal("1", got.Responses[0].Item["n"].N);
    }

    [Fact]
    public async Task ListTables_Paginated_ReturnsEveryTable()
    {
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await CreateTableAsync(withRange: false));
        }

        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await _client.ListTablesAsync(new ListTablesRequest { Limit = 2, ExclusiveStartTableName = start });
            names.AddRange(page.TableNames);
            start = page.LastEvaluatedTableName;
        }
        while (start is not null);

        Assert.All(created, name => Assert.Contains(name, names));
    }

    [Fact]
    public async Task CreateTable_Twice_ThrowsResourceInUse()
    {
        var table = await CreateTableAsync(withRange: false);
        await Assert.ThrowsAsync<ResourceInUseException>(() => _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        }));
    }

    [Fact]
    public async Task DeleteTable_ThenDescribe_ThrowsResourceNotFound()
    {
        var table = await CreateTableAsync(withRange: false);
        var deleted = await _client.DeleteTableAsync(table);
        Assert.Equal(TableStatus.DELETING, deleted.TableDescription.TableStatus);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _client.DescribeTableAsync(table));
    }

    [Fact]
    public async Task UpdateTimeToLive_ExpiredItem_Disappears()
    {
        var table = await CreateTableAsync(withRange: false);
        await _client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expires", Enabled = true },
        });
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _client.PutItemAsync(table, new() { ["PK"] = new AttributeValue { S = "old" }, ["expires"] = new AttributeValue { N = past } });
        await _client.PutItemAsync(table, new() { ["PK"] = new AttributeValue { S = "new" }, ["expires"] = new AttributeValue { N = future } });

        var deadline = DateTime.UtcNow.AddSeconds(10);
        var scan = await _client.ScanAsync(new ScanRequest { TableName = table });
        while (scan.Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            scan = await _client.ScanAsync(new ScanRequest { TableName = table });
        }

        var ttl = await _client.DescribeTimeToLiveAsync(table);
        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveDescription.TimeToLiveStatus);
        Assert.Equal("new", Assert.Single(scan.Items)["PK"].S);
    }

    [Fact]
    public async Task DescribeLimitsAndEndpoints_Answer()
    {
        var limits = await _client.DescribeLimitsAsync(new DescribeLimitsRequest());
        var endpoints = await _client.DescribeEndpointsAsync(new DescribeEndpointsRequest());
        Assert.Equal(40000, limits.TableMaxWriteCapacityUnits);
        Assert.Equal(1440, Assert.Single(endpoints.Endpoints).CachePeriodInMinutes);
    }
    [Fact]
    public async Task ExecuteStatement_ThroughTheSdk_PagesWithNextTokenAndBatchesAnswerPerStatement()
    {
        var table = await CreateTableAsync();
        var batch = await _client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements = [.. Enumerable.Range(1, 5).Select(sk => new BatchStatementRequest
            {
                Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': ?, 'SK': ?, 'n': {sk}}}",
                Parameters = [new AttributeValue { S = "p" }, new AttributeValue { N = sk.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
            })],
        });

        var items = new List<Dictionary<string, AttributeValue>>();
        var request = new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'p' ORDER BY SK DESC", Limit = 2 };
        do
        {
            var page = await _client.ExecuteStatementAsync(request);
            items.AddRange(page.Items);
            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        Assert.All(batch.Responses, response => Assert.Null(response.Error));
        Assert.Equal(["5", "4", "3", "2", "1"], items.Select(item => item["n"].N));
    }
}
