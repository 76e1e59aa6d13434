using System.Text.Json;

namespace Cloister.Tables.Tests.PartiQL;

/// <summary>ExecuteStatement and BatchExecuteStatement over loopback HTTP, as DynamoDB's PartiQL reference describes their answers.</summary>
public sealed class ExecuteStatementTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Statement(string statement, string? more = null) =>
        JsonSerializer.Serialize(statement) is var text && more is null ? $$"""{"Statement":{{text}}}""" : $$"""{"Statement":{{text}},{{more}}}""";

    private Task<JsonElement> RunAsync(string statement, string? more = null) => _api.OkAsync("ExecuteStatement", Statement(statement, more));

    private Task<ApiResponse> SendAsync(string statement, string? more = null) => _api.SendAsync("ExecuteStatement", Statement(statement, more));

    /// <summary>A table keyed PK (S), SK (N) holding p/1, p/2, p/3 and q/1, each with a number <c>n</c> equal to SK.</summary>
    private async Task<string> MusicAsync()
    {
        var table = await _api.CreateTableAsync("S", "N");
        foreach (var (pk, sk) in new[] { ("p", 1), ("p", 2), ("p", 3), ("q", 1) })
        {
            await RunAsync($"INSERT INTO \"{table}\" VALUE {{'PK': '{pk}', 'SK': {sk}, 'n': {sk}, 'tags': <<'a', 'b'>>, 'doc': {{'list': [1, 'two'], 'flag': true}}}}");
        }

        return table;
    }

    private static List<string> Keys(JsonElement response) =>
        [.. response.GetProperty("Items").EnumerateArray().Select(item => item.GetProperty("PK").GetProperty("S").GetString() + item.GetProperty("SK").GetProperty("N").GetString())];

    [Fact]
    public async Task ExecuteStatement_InsertThenSelectFullKey_ReturnsTheItemAsWritten()
    {
        var table = await MusicAsync();

        var selected = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p' AND SK = 2");

        var item = Assert.Single(selected.GetProperty("Items").EnumerateArray());
        Assert.Equal("2", item.GetProperty("n").GetProperty("N").GetString());
        Assert.Equal("""["a","b"]""", item.GetProperty("tags").GetProperty("SS").ToString());
        Assert.Equal("""{"M":{"list":{"L":[{"N":"1"},{"S":"two"}]},"flag":{"BOOL":true}}}""", item.GetProperty("doc").ToString());
    }

    [Fact]
    public async Task ExecuteStatement_SelectPartitionKeyWithSortKeyCondition_QueriesInSortKeyOrder()
    {
        var table = await MusicAsync();

        var between = await RunAsync($"SELECT * FROM \"{table}\" WHERE \"PK\" = 'p' AND \"SK\" BETWEEN 2 AND 3");
        var greater = await RunAsync($"SELECT * FROM \"{table}\" WHERE 'p' = PK AND 1 < SK");
        var descending = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p' ORDER BY SK DESC");

        Assert.Equal(["p2", "p3"], Keys(between));
        Assert.Equal(["p2", "p3"], Keys(greater));
        Assert.Equal(["p3", "p2", "p1"], Keys(descending));
    }

    [Fact]
    public async Task ExecuteStatement_SelectPartitionKeyAndSortKeyIn_AnswersAsDynamoDb()
    {
        var table = await MusicAsync();

        var selected = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p' AND SK IN [1, 3]");
        var both = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p' AND SK >= 2 AND SK <> 3");

        Assert.Equal(["p1", "p3"], Keys(selected).Order());
        Assert.Equal(["p2"], Keys(both));
    }

    [Fact]
    public async Task ExecuteStatement_SelectWithoutPartitionKey_ScansWithTheWhereAsFilter()
    {
        var table = await MusicAsync();

        var filtered = await RunAsync($"SELECT * FROM \"{table}\" WHERE n >= 2 OR PK = 'q'");
        var functions = await RunAsync($"SELECT * FROM \"{table}\" WHERE contains(tags, 'a') AND size(doc.list) = 2 AND doc.list[1] = 'two' AND attribute_type(n, 'N') AND begins_with(PK, 'q')");
        var inList = await RunAsync($"SELECT * FROM \"{table}\" WHERE n IN [1, 3] AND NOT PK = 'q'");
        var missing = await RunAsync($"SELECT * FROM \"{table}\" WHERE absent IS MISSING AND n IS NOT MISSING AND exists(doc.flag) AND missing(doc.none)");

        Assert.Equal(["p2", "p3", "q1"], Keys(filtered).Order());
        Assert.Equal(["q1"], Keys(functions));
        Assert.Equal(["p1", "p3"], Keys(inList).Order());
        Assert.Equal(4, missing.GetProperty("Items").GetArrayLength());
    }

    [Fact]
    public async Task ExecuteStatement_SelectPaths_ProjectsThem()
    {
        var table = await MusicAsync();

        var selected = await RunAsync($"SELECT n, doc.list[0] FROM \"{table}\" WHERE PK = 'q'");

        Assert.Equal("""[{"n":{"N":"1"},"doc":{"M":{"list":{"L":[{"N":"1"}]}}}}]""", selected.GetProperty("Items").ToString());
    }

    [Fact]
    public async Task ExecuteStatement_Parameters_BoundInOrder()
    {
        var table = await MusicAsync();

        var selected = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = ? AND SK > ?", """ "Parameters":[{"S":"p"},{"N":"1"}] """);
        var inserted = await RunAsync($"INSERT INTO \"{table}\" VALUE {{'PK': ?, 'SK': ?, 's': <<?, ?>>}}", """ "Parameters":[{"S":"r"},{"N":"9"},{"S":"x"},{"S":"y"}] """);
        var read = await RunAsync($"SELECT s FROM \"{table}\" WHERE PK = 'r' AND SK = 9");

        Assert.Equal(["p2", "p3"], Keys(selected));
        Assert.Equal("[]", inserted.GetProperty("Items").ToString());
        Assert.Equal("""[{"s":{"SS":["x","y"]}}]""", read.GetProperty("Items").ToString());
    }

    [Fact]
    public async Task ExecuteStatement_WrongNumberOfParameters_ValidationException()
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"SELECT * FROM \"{table}\" WHERE PK = ?");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Number of parameters in request and statement don't match.", refused.Message);
    }

    [Theory]
    [InlineData("\"Parameters\":[\"p\"]", "SerializationException")]
    [InlineData("\"Parameters\":[]", "ValidationException")]
    [InlineData("\"Parameters\":[{\"N\":\"x\"}]", "ValidationException")]
    public async Task ExecuteStatement_InvalidParameters_RefusedAsTheOperationsRefuseValues(string parameters, string error)
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"INSERT INTO \"{table}\" VALUE ?", parameters);

        Assert.Equal(error, refused.ErrorType);
    }

    [Fact]
    public async Task ExecuteStatement_Limit_PagesWithNextToken()
    {
        var table = await MusicAsync();

        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p'", token is null ? "\"Limit\":2" : $"\"Limit\":2,\"NextToken\":\"{token}\"");
            keys.AddRange(Keys(page));
            token = page.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
            Assert.Equal(token is not null, page.TryGetProperty("LastEvaluatedKey", out _));
            pages++;
        }
        while (token is not null);

        Assert.Equal(["p1", "p2", "p3"], keys);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task ExecuteStatement_InsertExistingKey_DuplicateItemException()
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"INSERT INTO \"{table}\" VALUE {{'PK': 'p', 'SK': 1}}");

        Assert.Equal("DuplicateItemException", refused.ErrorType);
        Assert.Equal("Duplicate primary key exists in table", refused.Message);
    }

    [Fact]
    public async Task ExecuteStatement_UpdateSetRemoveReturning_ReturnsAsAsked()
    {
        var table = await MusicAsync();

        var modified = await RunAsync($"UPDATE \"{table}\" SET n = n + 10 SET extra = 'x' REMOVE doc WHERE PK = 'p' AND SK = 1 RETURNING MODIFIED NEW *");
        var all = await RunAsync($"UPDATE \"{table}\" SET tags = set_add(tags, <<'c'>>), doc = {{'a': 1}} WHERE PK = 'p' AND SK = 1 RETURNING ALL OLD *");
        var after = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p' AND SK = 1");

        Assert.Equal("""[{"n":{"N":"11"},"extra":{"S":"x"}}]""", modified.GetProperty("Items").ToString());
        Assert.False(Assert.Single(all.GetProperty("Items").EnumerateArray()).TryGetProperty("doc", out _));
        var item = Assert.Single(after.GetProperty("Items").EnumerateArray());
        Assert.Equal("""["a","b","c"]""", item.GetProperty("tags").GetProperty("SS").ToString());
        Assert.Equal("""{"M":{"a":{"N":"1"}}}""", item.GetProperty("doc").ToString());
    }

    [Fact]
    public async Task ExecuteStatement_UpdateMissingItem_ConditionalCheckFailedAndNothingWritten()
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"UPDATE \"{table}\" SET n = 5 WHERE PK = 'z' AND SK = 1");
        var read = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'z'");

        Assert.Equal("ConditionalCheckFailedException", refused.ErrorType);
        Assert.Equal("The conditional request failed", refused.Message);
        Assert.Equal(0, read.GetProperty("Items").GetArrayLength());
    }

    [Fact]
    public async Task ExecuteStatement_UpdateWithoutFullKey_ValidationException()
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"UPDATE \"{table}\" SET n = 5 WHERE PK = 'p'");

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.Equal("Where clause does not contain a mandatory equality on all key attributes", refused.Message);
    }

    [Fact]
    public async Task ExecuteStatement_Delete_MissingItemSucceedsAndFalseConditionFails()
    {
        var table = await MusicAsync();

        var deleted = await RunAsync($"DELETE FROM \"{table}\" WHERE PK = 'p' AND SK = 1 RETURNING ALL OLD *");
        var absent = await RunAsync($"DELETE FROM \"{table}\" WHERE PK = 'z' AND SK = 1 AND n = 4");
        var refused = await SendAsync($"DELETE FROM \"{table}\" WHERE PK = 'p' AND SK = 2 AND n = 4", "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"");
        var left = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 'p'");

        Assert.Equal(["p1"], Keys(deleted));
        Assert.Equal("[]", absent.GetProperty("Items").ToString());
        Assert.Equal("ConditionalCheckFailedException", refused.ErrorType);
        Assert.Equal("2", refused.Body.GetProperty("Item").GetProperty("n").GetProperty("N").GetString());
        Assert.Equal(["p2", "p3"], Keys(left));
    }

    [Theory]
    [InlineData("SELECT * FROM")]
    [InlineData("SELECT * FROM \"t\" WHERE")]
    [InlineData("UPSERT INTO \"t\" VALUE {'a': 1}")]
    [InlineData("SELECT * FROM \"t\" WHERE a = 'unterminated")]
    [InlineData("INSERT INTO \"t\" VALUE {'a' 1}")]
    public async Task ExecuteStatement_MalformedStatement_ValidationException(string statement)
    {
        var refused = await SendAsync(statement);

        Assert.Equal("ValidationException", refused.ErrorType);
        Assert.StartsWith("Statement wasn't well formed, can't be processed: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteStatement_MissingTable_ResourceNotFoundException()
    {
        var refused = await SendAsync("SELECT * FROM \"nowhere\" WHERE PK = 'p'");

        Assert.Equal("ResourceNotFoundException", refused.ErrorType);
        Assert.Equal("Requested resource not found", refused.Message);
    }

    [Fact]
    public async Task ExecuteStatement_OrderByWithoutPartitionKey_ValidationException()
    {
        var table = await MusicAsync();

        var refused = await SendAsync($"SELECT * FROM \"{table}\" ORDER BY SK");

        Assert.Equal("ValidationException", refused.ErrorType);
    }

    [Fact]
    public async Task BatchExecuteStatement_Writes_EachAnsweredInItsPlace()
    {
        var table = await MusicAsync();
        var statements = JsonSerializer.Serialize(new[]
        {
            new { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'b', 'SK': 1}}" },
            new { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'p', 'SK': 1}}" },
            new { Statement = $"UPDATE \"{table}\" SET n = 7 WHERE PK = 'q' AND SK = 1" },
            new { Statement = "SELECT * FROM" },
        });

        var answer = await _api.OkAsync("BatchExecuteStatement", $$"""{"Statements":{{statements}}}""");
        var read = await RunAsync($"SELECT n FROM \"{table}\" WHERE PK = 'q'");

        var responses = answer.GetProperty("Responses").EnumerateArray().ToList();
        Assert.Equal(4, responses.Count);
        Assert.Equal(table, responses[0].GetProperty("TableName").GetString());
        Assert.False(responses[0].TryGetProperty("Error", out _));
        Assert.Equal("DuplicateItem", responses[1].GetProperty("Error").GetProperty("Code").GetString());
        Assert.False(responses[2].TryGetProperty("Error", out _));
        Assert.Equal("ValidationError", responses[3].GetProperty("Error").GetProperty("Code").GetString());
        Assert.Equal("""[{"n":{"N":"7"}}]""", read.GetProperty("Items").ToString());
    }

    [Fact]
    public async Task BatchExecuteStatement_Reads_ItemPerStatement()
    {
        var table = await MusicAsync();
        var statements = JsonSerializer.Serialize(new object[]
        {
            new { Statement = $"SELECT n FROM \"{table}\" WHERE PK = 'p' AND SK = 2" },
            new { Statement = $"SELECT * FROM \"{table}\" WHERE PK = ? AND SK = ?", Parameters = new object[] { new { S = "z" }, new { N = "1" } } },
        });

        var answer = await _api.OkAsync("BatchExecuteStatement", $$"""{"Statements":{{statements}}}""");

        var responses = answer.GetProperty("Responses").EnumerateArray().ToList();
        Assert.Equal("""{"n":{"N":"2"}}""", responses[0].GetProperty("Item").ToString());
        Assert.False(responses[1].TryGetProperty("Item", out _));
    }

    [Fact]
    public async Task BatchExecuteStatement_ReadsAndWritesMixed_ValidationException()
    {
        var table = await MusicAsync();
        var statements = JsonSerializer.Serialize(new[]
        {
            new { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'p' AND SK = 2" },
            new { Statement = $"DELETE FROM \"{table}\" WHERE PK = 'p' AND SK = 2" },
        });

        var refused = await _api.SendAsync("BatchExecuteStatement", $$"""{"Statements":{{statements}}}""");

        Assert.Equal("ValidationException", refused.ErrorType);
    }
    [Fact]
    public async Task BatchExecuteStatement_ReadWithoutFullKey_ValidationErrorInItsPlace()
    {
        var table = await MusicAsync();
        var statements = JsonSerializer.Serialize(new[] { new { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'p'" } });

        var answer = await _api.OkAsync("BatchExecuteStatement", $$"""{"Statements":{{statements}}}""");

        var error = Assert.Single(answer.GetProperty("Responses").EnumerateArray()).GetProperty("Error");
        Assert.Equal("ValidationError", error.GetProperty("Code").GetString());
        Assert.Equal("Where clause does not contain a mandatory equality on all key attributes", error.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task ExecuteTransaction_InsertOfAnExistingKey_CancelledWithDuplicateItemAndNothingWritten()
    {
        var table = await MusicAsync();
        var statements = JsonSerializer.Serialize(new[]
        {
            new { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 't', 'SK': 1}}" },
            new { Statement = $"INSERT INTO \"{table}\" VALUE {{'PK': 'p', 'SK': 1}}" },
        });

        var refused = await _api.SendAsync("ExecuteTransaction", $$"""{"TransactStatements":{{statements}}}""");
        var read = await RunAsync($"SELECT * FROM \"{table}\" WHERE PK = 't'");

        Assert.Equal("TransactionCanceledException", refused.ErrorType);
        Assert.Equal("Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem]", refused.Message);
        Assert.Equal("DuplicateItem", refused.Body.GetProperty("CancellationReasons")[1].GetProperty("Code").GetString());
        Assert.Equal(0, read.GetProperty("Items").GetArrayLength());
    }

    [Fact]
    public async Task ExecuteTransaction_WritesThenReads_AppliedTogetherAndReadPerStatement()
    {
        var table = await MusicAsync();
        var writes = JsonSerializer.Serialize(new[]
        {
            new { Statement = $"UPDATE \"{table}\" SET n = 20 WHERE PK = 'p' AND SK = 2" },
            new { Statement = $"DELETE FROM \"{table}\" WHERE PK = 'q' AND SK = 1" },
        });
        var reads = JsonSerializer.Serialize(new[]
        {
            new { Statement = $"SELECT n FROM \"{table}\" WHERE PK = 'p' AND SK = 2" },
            new { Statement = $"SELECT * FROM \"{table}\" WHERE PK = 'q' AND SK = 1" },
        });

        await _api.OkAsync("ExecuteTransaction", $$"""{"TransactStatements":{{writes}},"ClientRequestToken":"token-1"}""");
        var answer = await _api.OkAsync("ExecuteTransaction", $$"""{"TransactStatements":{{reads}}}""");

        var responses = answer.GetProperty("Responses").EnumerateArray().ToList();
        Assert.Equal("""{"n":{"N":"20"}}""", responses[0].GetProperty("Item").ToString());
        Assert.False(responses[1].TryGetProperty("Item", out _));
    }
    [Fact]
    public async Task ExecuteStatement_MutatedStatements_NeverAnInternalError()
    {
        var table = await MusicAsync();
        var random = new Random(2828);
        string[] seeds =
        [
            $"SELECT n, doc.list[0] FROM \"{table}\" WHERE PK = 'p' AND SK BETWEEN 1 AND 2 AND contains(tags, 'a') ORDER BY SK DESC",
            $"INSERT INTO \"{table}\" VALUE {{'PK': 'm', 'SK': 1, 's': <<1, 2>>, 'm': {{'l': [true, null]}}}}",
            $"UPDATE \"{table}\" SET n = n + 1, tags = set_add(tags, <<'z'>>) REMOVE doc.list[0] WHERE PK = 'p' AND SK = 1 AND n IS NOT MISSING RETURNING ALL NEW *",
            $"DELETE FROM \"{table}\" WHERE PK = 'q' AND SK = 1 AND size(doc) > 0 RETURNING ALL OLD *",
        ];
        const string alphabet = "\"'[]{}()<>=!?.,:-+ 0123456789SKPKnAND";
        for (var i = 0; i < 1000; i++)
        {
            var chars = seeds[i % seeds.Length].ToCharArray();
            for (var j = random.Next(1, 4); j > 0; j--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var response = await SendAsync(new string(chars));

            Assert.True((int)response.Status is 200 or 400, $"{new string(chars)} answered {response}");
        }
    }
}
