using System.Net;
using System.Text;

namespace Cloister.Tables.Tests.Hosting;

/// <summary>
/// Bodies DynamoDB cannot read or whose strings are not Unicode, sent byte for byte over the real socket: each is a 400 in
/// DynamoDB's words, never a 500 (which every SDK retries), whatever operation and member carries it, and nothing is written.
/// </summary>
public sealed class UnreadableBodyTests : IAsyncLifetime
{
    private const string Serialization = "SerializationException";
    private const string Validation = "ValidationException";

    private TablesApi _api = null!;
    private string _table = null!;

    public async Task InitializeAsync()
    {
        _api = await TablesApi.StartAsync();
        _table = await _api.CreateTableAsync("S", "S");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>Every member that carries a string, in every operation that reads one; BAD marks where the bad string goes.</summary>
    public static TheoryData<string, string> StringCarriers => new()
    {
        { "PutItem", """{"TableName":"T","Item":{"PK":{"S":"QA#utf"},"SK":{"S":"BAD"}}}""" },
        { "PutItem", """{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"},"BAD":{"S":"x"}}}""" },
        { "PutItem", """{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"},"m":{"M":{"l":{"L":[{"SS":["x","BAD"]}]}}}}}""" },
        { "PutItem", """{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"}},"ConditionExpression":"attribute_not_exists(#k)","ExpressionAttributeNames":{"#k":"BAD"}}""" },
        { "GetItem", """{"TableName":"T","Key":{"PK":{"S":"BAD"},"SK":{"S":"b"}}}""" },
        { "GetItem", """{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"b"}},"ProjectionExpression":"BAD"}""" },
        { "DeleteItem", """{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}""" },
        { "UpdateItem", """{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"b"}},"UpdateExpression":"SET #v = :v","ExpressionAttributeNames":{"#v":"v"},"ExpressionAttributeValues":{":v":{"S":"BAD"}}}""" },
        { "UpdateItem", """{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"b"}},"UpdateExpression":"SET #v = :v","ExpressionAttributeNames":{"#v":"BAD"},"ExpressionAttributeValues":{":v":{"S":"x"}}}""" },
        { "UpdateItem", """{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"b"}},"UpdateExpression":"SET v = :v BAD","ExpressionAttributeValues":{":v":{"S":"x"}}}""" },
        { "Query", """{"TableName":"T","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"BAD"}}}""" },
        { "Scan", """{"TableName":"T","FilterExpression":"v = :v","ExpressionAttributeValues":{":v":{"SS":["BAD"]}}}""" },
        { "Scan", """{"TableName":"T","ExclusiveStartKey":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}""" },
        { "BatchWriteItem", """{"RequestItems":{"T":[{"PutRequest":{"Item":{"PK":{"S":"a"},"SK":{"S":"good"}}}},{"PutRequest":{"Item":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}}]}}""" },
        { "BatchGetItem", """{"RequestItems":{"T":{"Keys":[{"PK":{"S":"a"},"SK":{"S":"BAD"}}]}}}""" },
        { "TransactWriteItems", """{"TransactItems":[{"Put":{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"good"}}}},{"Put":{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}}]}""" },
        { "TransactGetItems", """{"TransactItems":[{"Get":{"TableName":"T","Key":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}}]}""" },
        { "ExecuteStatement", """{"Statement":"INSERT INTO \"T\" VALUE {'PK': ?, 'SK': ?}","Parameters":[{"S":"a"},{"S":"BAD"}]}""" },
        { "ExecuteStatement", """{"Statement":"INSERT INTO \"T\" VALUE {'PK': 'a', 'SK': 'BAD'}"}""" },
        { "BatchExecuteStatement", """{"Statements":[{"Statement":"INSERT INTO \"T\" VALUE {'PK': 'a', 'SK': 'good'}"},{"Statement":"INSERT INTO \"T\" VALUE {'PK': ?, 'SK': ?}","Parameters":[{"S":"a"},{"S":"BAD"}]}]}""" },
        { "ExecuteTransaction", """{"TransactStatements":[{"Statement":"INSERT INTO \"T\" VALUE {'PK': 'a', 'SK': 'good'}"},{"Statement":"INSERT INTO \"T\" VALUE {'PK': ?, 'SK': ?}","Parameters":[{"S":"a"},{"S":"BAD"}]}]}""" },
        { "DescribeTable", """{"TableName":"BAD"}""" },
    };

    [Theory]
    [MemberData(nameof(StringCarriers))]
    public async Task Operation_InvalidUtf8InAString_SerializationExceptionAndNothingWritten(string operation, string template)
    {
        var response = await _api.SendAsync(operation, Body(template, [0xFF, 0xFE]));

        AssertUnreadable(response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(StringCarriers))]
    public async Task Operation_LoneSurrogateEscapeInAString_ValidationExceptionAndNothingWritten(string operation, string template)
    {
        var response = await _api.SendAsync(operation, Body(template, "x\\ud800"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Validation, response.ErrorType);
        Assert.Equal("One or more parameter values were invalid: A string contains \\ud800, an unpaired surrogate, which is not valid UTF-8", response.Message);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    public async Task PutItem_MalformedUtf8Sequence_SerializationException(byte[] sequence)
    {
        var response = await _api.SendAsync("PutItem", Body("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}""", sequence));

        AssertUnreadable(response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("\\udc00")]
    [InlineData("\\uDBFF\\u0041")]
    [InlineData("\\ud83d\\ud83d")]
    [InlineData("\\ude00\\ud83d")]
    public async Task PutItem_UnpairedSurrogateEscapes_ValidationException(string escapes)
    {
        var response = await _api.SendAsync("PutItem", Body("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}""", Encoding.ASCII.GetBytes(escapes)));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Validation, response.ErrorType);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task PutItem_SurrogatePairEscapeAndEscapedBackslashU_StoredAsSent()
    {
        // "\\ud800" is a backslash then "ud800", not an escape; "\ud83d\ude00" is one character, U+1F600.
        await _api.OkAsync("PutItem", Body("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"BAD"}}}""", "\\ud83d\\ude00 \\\\ud800 \u00e9"u8.ToArray()));

        var item = await _api.OkAsync("Scan", Body("""{"TableName":"T","ConsistentRead":true}""", []));
        Assert.Equal("\U0001F600 \\ud800 \u00e9", item.GetProperty("Items")[0].GetProperty("SK").GetProperty("S").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("hi")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"}""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"}}} x""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b\"}}}""")]
    public async Task PutItem_BodyNotJson_SerializationExceptionWithoutMessage(string body)
    {
        var response = await _api.SendAsync("PutItem", Body(body, []));

        AssertUnreadable(response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("PutItem", "[]")]
    [InlineData("PutItem", "\"T\"")]
    [InlineData("PutItem", "5")]
    [InlineData("PutItem", "true")]
    [InlineData("GetItem", "[{\"TableName\":\"T\"}]")]
    [InlineData("ListTables", "[]")]
    [InlineData("TransactWriteItems", "\"x\"")]
    public async Task Operation_TopLevelNotAnObject_SerializationException(string operation, string body)
    {
        var response = await _api.SendAsync(operation, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Serialization, response.ErrorType);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("""{"TableName":5,"Item":{"PK":{"S":"a"},"SK":{"S":"b"}}}""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":5},"SK":{"S":"b"}}}""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"},"n":{"N":5}}}""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"},"s":{"SS":["x",5]}}}""")]
    [InlineData("""{"TableName":"T","Item":{"PK":{"S":"a"},"SK":{"S":"b"}},"ConditionExpression":5}""")]
    public async Task PutItem_NumberWhereAStringGoes_SerializationException(string body)
    {
        var response = await _api.SendAsync("PutItem", body.Replace("\"T\"", "\"" + _table + "\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Serialization, response.ErrorType);
        Assert.Equal("NUMBER_VALUE cannot be converted to String", response.Message);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData(32)]
    [InlineData(60)]
    [InlineData(500)]
    [InlineData(20_000)]
    public async Task PutItem_NestedBeyond32Levels_ValidationExceptionInDynamoDbsWords(int levels)
    {
        var response = await _api.SendAsync("PutItem", Nested(levels));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Validation, response.ErrorType);
        Assert.Equal("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit", response.Message);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task PutItem_Nested31Levels_Stored()
    {
        await _api.OkAsync("PutItem", Nested(31));

        var scan = await _api.OkAsync("Scan", Body("""{"TableName":"T","ConsistentRead":true,"Select":"COUNT"}""", []));
        Assert.Equal(1, scan.GetProperty("Count").GetInt32());
    }

    [Fact]
    public async Task PutItem_DeepButUnclosedJson_SerializationException()
    {
        var response = await _api.SendAsync("PutItem", Nested(500)[..^5]);

        AssertUnreadable(response);
    }

    [Fact]
    public async Task Operation_BytesAndEscapesMutatedIntoEveryCarrier_NeverInternalError()
    {
        byte[][] insertions = [[0xFF], [0x80], [0xC3], [0xED, 0xB0, 0x80], "\\ud800"u8.ToArray(), "\\udc00"u8.ToArray(), "\\ud83d\\ude00"u8.ToArray(), "\\"u8.ToArray(), "\\u00"u8.ToArray(), "\""u8.ToArray(), "{"u8.ToArray()];
        var carriers = StringCarriers.Select(row => ((string)row[0], Body((string)row[1], "x"u8.ToArray()))).ToList();
        var random = new Random(11);
        for (var i = 0; i < 1500; i++)
        {
            var (operation, seed) = carriers[random.Next(carriers.Count)];
            var body = new List<byte>(seed);
            for (var edits = random.Next(1, 4); edits > 0 && body.Count > 0; edits--)
            {
                var position = random.Next(body.Count);
                switch (random.Next(3))
                {
                    case 0:
                        body.InsertRange(position, insertions[random.Next(insertions.Length)]);
                        break;
                    case 1:
                        body.RemoveRange(position, Math.Min(random.Next(1, 6), body.Count - position));
                        break;
                    default:
                        body[position] = (byte)random.Next(256);
                        break;
                }
            }

            var response = await _api.SendAsync(operation, body.ToArray());

            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{operation} {Encoding.UTF8.GetString([.. body])}: {response}");
            Assert.True(response.Status == HttpStatusCode.OK || response.ErrorType is Serialization or Validation or "ResourceNotFoundException" or "ConditionalCheckFailedException" or "TransactionCanceledException", $"{operation}: {response}");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' })]
    public async Task ExecuteStatement_NextTokenHoldingTextNotUnicode_InvalidNextToken(byte[] bad)
    {
        // The token is a key the client hands back base64-encoded: the boundary's check cannot see inside it.
        byte[] key = [.. "{\"PK\":{\"S\":\"a\"},\"SK\":{\"S\":\""u8, .. bad, .. "\"}}"u8];
        var statement = $$"""{"Statement":"SELECT * FROM \"{{_table}}\"","NextToken":"{{Convert.ToBase64String(key)}}"}""";

        var response = await _api.SendAsync("ExecuteStatement", statement);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Validation, response.ErrorType);
        Assert.Equal("Invalid NextToken", response.Message);
    }

    private static void AssertUnreadable(ApiResponse response)
    {
        // DynamoDB answers a body it cannot read with the bare type: {"__type":"com.amazon.coral.service#SerializationException"}.
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(Serialization, response.ErrorType);
        Assert.Null(response.Message);
    }

    private async Task AssertNothingWrittenAsync()
    {
        var scan = await _api.OkAsync("Scan", Body("""{"TableName":"T","ConsistentRead":true,"Select":"COUNT"}""", []));
        Assert.Equal(0, scan.GetProperty("Count").GetInt32());
    }

    /// <summary>A PutItem whose attribute v wraps a string in <paramref name="levels"/> maps (v itself being level 1).</summary>
    private byte[] Nested(int levels)
    {
        var value = new StringBuilder();
        value.Insert(0, "{\"M\":{\"m\":", levels).Append("{\"S\":\"leaf\"}").Append('}', levels * 2);
        return Body("{\"TableName\":\"T\",\"Item\":{\"PK\":{\"S\":\"a\"},\"SK\":{\"S\":\"b\"},\"v\":" + value + "}}", []);
    }

    /// <summary>The template's bytes with the table's name for "T" and <paramref name="bad"/> where BAD stands.</summary>
    private byte[] Body(string template, byte[] bad)
    {
        var text = template.Replace("\"T\"", "\"" + _table + "\"", StringComparison.Ordinal).Replace("\\\"T\\\"", "\\\"" + _table + "\\\"", StringComparison.Ordinal);
        var at = text.IndexOf("BAD", StringComparison.Ordinal);
        return at < 0
            ? Encoding.UTF8.GetBytes(text)
            : [.. Encoding.UTF8.GetBytes(text[..at]), .. bad, .. Encoding.UTF8.GetBytes(text[(at + 3)..])];
    }
}
