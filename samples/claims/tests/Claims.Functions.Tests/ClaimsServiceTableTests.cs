using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Tables.Hosting;

namespace Claims.Functions.Tests;

/// <summary>Every operation of the claims API against Cloister's table service on loopback, through the AWS SDK.</summary>
public sealed class ClaimsServiceTableTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "claims-tables-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StringWriter _errors = new();
    private TablesServer _server = null!;
    private AmazonDynamoDBClient _client = null!;
    private ClaimsService _service = null!;

    public async Task InitializeAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions { DataDirectory = _data, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = _server.Urls[0].ToString(), AuthenticationRegion = "eu-central-1" });
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "claimsTable",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("PK", ScalarAttributeType.S), new("SK", ScalarAttributeType.S)],
            KeySchema = [new("PK", KeyType.HASH), new("SK", KeyType.RANGE)],
        });
        _service = new ClaimsService(_client, "claimsTable", errorLog: _errors);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _errors.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static ClaimRequest Request(string memberId, string? body = null, string? id = null, Dictionary<string, string>? query = null, Dictionary<string, string>? headers = null)
    {
        var q = query ?? [];
        q["memberId"] = memberId;
        return new ClaimRequest("dev", "req-" + Guid.NewGuid().ToString("N")[..6], id is null ? [] : new Dictionary<string, string> { ["id"] = id }, q, headers ?? [], body);
    }

    private async Task<(int Status, JsonElement Body, ClaimResponse Response)> Run(string handler, ClaimRequest request)
    {
        var response = await _service.HandleAsync(handler, request);
        var body = response.Body is null ? default : JsonDocument.Parse(response.Body).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    private async Task<JsonElement> CreateAsync(string memberId, string fields)
    {
        var query = new Dictionary<string, string> { ["policyId"] = "p-1", ["memberName"] = "Jane Doe" };
        var (status, body, response) = await Run("create", Request(memberId, fields, query: query));
        Assert.Equal(201, status);
        Assert.Equal($"/dev/claim/{body.GetProperty("claimId").GetString()}?memberId={memberId}", response.Headers["Location"]);
        return body;
    }

    [Fact]
    public async Task Create_ThenGet_ReturnsClaimWithoutKeys()
    {
        var created = await CreateAsync("m1", """{"amount":120.5,"items":["x-ray"],"urgent":true}""");
        var id = created.GetProperty("claimId").GetString();

        var (status, claim, _) = await Run("get", Request("m1", id: id));

        Assert.Equal(200, status);
        Assert.Equal(id, claim.GetProperty("claimId").GetString());
        Assert.Equal("m1", claim.GetProperty("memberId").GetString());
        Assert.Equal("p-1", claim.GetProperty("policyId").GetString());
        Assert.Equal("Jane Doe", claim.GetProperty("memberName").GetString());
        Assert.Equal(120.5, claim.GetProperty("amount").GetDouble());
        Assert.Equal("x-ray", claim.GetProperty("items")[0].GetString());
        Assert.Equal(1, claim.GetProperty("version").GetInt32());
        Assert.False(claim.TryGetProperty("PK", out _));
        Assert.False(claim.TryGetProperty("SK", out _));
    }

    [Fact]
    public async Task List_ThreeClaimsPagedByTwo_NextTokenReachesTheThird()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync("m-list", $$"""{"n":{{i}}}""");
        }

        await CreateAsync("someone-else", """{"n":9}""");
        var (status, first, _) = await Run("list", Request("m-list", query: new() { ["limit"] = "2" }));
        var token = first.GetProperty("nextToken").GetString();
        var (_, second, _) = await Run("list", Request("m-list", query: new() { ["limit"] = "2", ["nextToken"] = token! }));

        Assert.Equal(200, status);
        Assert.Equal(2, first.GetProperty("claims").GetArrayLength());
        Assert.Equal(1, second.GetProperty("claims").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextToken").ValueKind);
        var (otherStatus, _, _) = await Run("list", Request("someone-else", query: new() { ["nextToken"] = token! }));
        Assert.Equal(400, otherStatus);
    }

    [Fact]
    public async Task Update_WithAndWithoutMatchingIfMatch_BumpsVersionOr412()
    {
        var id = (await CreateAsync("m-up", """{"status":"open"}""")).GetProperty("claimId").GetString();

        var (plain, v2, _) = await Run("update", Request("m-up", """{"status":"review"}""", id));
        var (matching, v3, _) = await Run("update", Request("m-up", """{"status":"paid"}""", id, headers: new() { ["If-Match"] = "2" }));
        var (stale, error, _) = await Run("update", Request("m-up", """{"status":"lost"}""", id, headers: new() { ["If-Match"] = "2" }));

        Assert.Equal((200, 2, "review"), (plain, v2.GetProperty("version").GetInt32(), v2.GetProperty("status").GetString()));
        Assert.Equal((200, 3, "paid"), (matching, v3.GetProperty("version").GetInt32(), v3.GetProperty("status").GetString()));
        Assert.True(string.CompareOrdinal(v3.GetProperty("updatedAt").GetString(), v3.GetProperty("createdAt").GetString()) >= 0);
        Assert.Equal((412, "Version mismatch"), (stale, error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Delete_ThenGetUpdateDelete_AllNotFound()
    {
        var id = (await CreateAsync("m-del", """{"a":1}""")).GetProperty("claimId").GetString();

        var deleted = await _service.HandleAsync("delete", Request("m-del", id: id));
        var (get, notFound, _) = await Run("get", Request("m-del", id: id));
        var (update, _, _) = await Run("update", Request("m-del", """{"a":2}""", id));
        var (again, _, _) = await Run("delete", Request("m-del", id: id));

        Assert.Equal(204, deleted.StatusCode);
        Assert.Null(deleted.Body);
        Assert.Equal((404, "Claim not found"), (get, notFound.GetProperty("message").GetString()));
        Assert.Equal(404, update);
        Assert.Equal(404, again);
    }

    [Fact]
    public async Task Get_OtherMembersClaim_NotFound()
    {
        var id = (await CreateAsync("owner", """{"a":1}""")).GetProperty("claimId").GetString();

        var (status, _, _) = await Run("get", Request("intruder", id: id));

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task AnyOperation_TableMissing_500WithoutExceptionTextAndLogsRequestId()
    {
        var broken = new ClaimsService(_client, "noSuchTable", errorLog: _errors);
        var request = Request("m1", id: Guid.NewGuid().ToString());

        var response = await broken.HandleAsync("get", request);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("""{"message":"Internal error"}""", response.Body);
        Assert.Contains(request.RequestId, _errors.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Numbers at DynamoDB's limits are stored as sent and read back equal: not through a double, which rounded a
    /// 38-digit number, turned 9.99…E+125 into 1E+126 (a 500) and 1E-130 into 0.
    /// </summary>
    [Theory]
    [InlineData("12345678901234567890123456789012345678")]
    [InlineData("-0.12345678901234567890123456789012345678")]
    [InlineData("9.9999999999999999999999999999999999999e125")]
    [InlineData("-9.9999999999999999999999999999999999999E+125")]
    [InlineData("1e-130")]
    [InlineData("100000000000000000000000000000000000000000000000000")]
    [InlineData("0e99999")]
    [InlineData("120.50")]
    public async Task Create_NumberAtDynamoDbsLimits_StoredAndReadBackExactly(string number)
    {
        var created = await CreateAsync("m-num", $$"""{"amount":{{number}},"lines":[{"price":{{number}}}]}""");
        var id = created.GetProperty("claimId").GetString();

        var (status, claim, _) = await Run("get", Request("m-num", id: id));

        Assert.Equal(200, status);
        Assert.Equal(Canonical(number), Canonical(claim.GetProperty("amount").GetRawText()));
        Assert.Equal(Canonical(number), Canonical(claim.GetProperty("lines")[0].GetProperty("price").GetRawText()));
    }

    [Fact]
    public async Task Create_NestedAsDeepAsDynamoDbStores_Stored()
    {
        var body = "{\"a\":" + new string('[', 31) + "1" + new string(']', 31) + "}";

        var created = await CreateAsync("m-deep", body);
        var (status, claim, _) = await Run("get", Request("m-deep", id: created.GetProperty("claimId").GetString()));

        Assert.Equal(200, status);
        Assert.Equal(body[5..^1], claim.GetProperty("a").GetRawText());
    }

    // A number's value as (sign, significant digits, decimal exponent of the first): equal for equal numbers however written.
    private static (bool Negative, string Digits, long Order) Canonical(string number)
    {
        var negative = number.StartsWith('-');
        var unsigned = number.TrimStart('-');
        var e = unsigned.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? unsigned : unsigned[..e];
        var exponent = e < 0 ? 0 : long.Parse(unsigned[(e + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var all = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var first = all.TakeWhile(c => c == '0').Count();
        var digits = all.Trim('0');
        return digits.Length == 0 ? (false, "0", 0) : (negative, digits, integerDigits - 1 - first + exponent);
    }
}
