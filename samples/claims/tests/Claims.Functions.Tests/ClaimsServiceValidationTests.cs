using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Claims.Functions.Tests;

/// <summary>Requests the API refuses before it reaches DynamoDB; the client points at a closed loopback port.</summary>
public sealed class ClaimsServiceValidationTests : IDisposable
{
    private const string ClaimId = "2afe60e7-3f11-485a-8a69-16389ff52fbd";
    private readonly AmazonDynamoDBClient _client = new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 });
    private readonly ClaimsService _service;

    public ClaimsServiceValidationTests() => _service = new ClaimsService(_client, "claimsTable");

    public void Dispose() => _client.Dispose();

    private static ClaimRequest Request(Dictionary<string, string>? query = null, string? body = null, string? id = null, Dictionary<string, string>? headers = null) =>
        new("dev", "req-1", id is null ? [] : new Dictionary<string, string> { ["id"] = id }, query ?? [], headers ?? [], body);

    private async Task AssertError(string handler, ClaimRequest request, int status, string messagePart)
    {
        var response = await _service.HandleAsync(handler, request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(response.Body!);
        Assert.Contains(messagePart, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memberId")]
    [InlineData("policyId")]
    [InlineData("memberName")]
    public async Task Create_MissingQueryParameter_400(string missing)
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        query[missing] = string.Empty;
        await AssertError("create", Request(query, "{}"), 400, missing);
    }

    [Theory]
    [InlineData(null, "JSON object body is required")]
    [InlineData("", "JSON object body is required")]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("{\"PK\":\"x\"}", "may not set PK")]
    [InlineData("{\"version\":7}", "may not set version")]
    [InlineData("{\"claimId\":\"x\"}", "may not set claimId")]
    public async Task Create_BadBody_400(string? body, string messagePart)
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        await AssertError("create", Request(query, body), 400, messagePart);
    }

    [Fact]
    public async Task Create_BodyOver64KiB_413()
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        var body = "{\"notes\":\"" + new string('x', ClaimsService.MaxBodyBytes) + "\"}";
        await AssertError("create", Request(query, body), 413, "64 KiB");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task ById_IdNotUuid_400(string handler)
    {
        await AssertError(handler, Request(new() { ["memberId"] = "m1" }, "{}", id: "not-a-uuid"), 400, "UUID");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("update")]
    [InlineData("delete")]
    [InlineData("list")]
    public async Task AnyOperation_MissingMemberId_400(string handler)
    {
        await AssertError(handler, Request(body: "{}", id: ClaimId), 400, "memberId");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("ten")]
    public async Task List_LimitOutOfRange_400(string limit)
    {
        await AssertError("list", Request(new() { ["memberId"] = "m1", ["limit"] = limit }), 400, "limit");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJQSyI6Ik1FTUJFUiNtMSIsIlNLIjoiQ0xBSU0jeCJ9.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task List_ForgedNextToken_400(string token)
    {
        await AssertError("list", Request(new() { ["memberId"] = "m1", ["nextToken"] = token }), 400, "nextToken");
    }

    [Fact]
    public async Task Update_IfMatchNotANumber_400()
    {
        var request = Request(new() { ["memberId"] = "m1" }, "{\"status\":\"open\"}", ClaimId, new() { ["if-match"] = "abc" });
        await AssertError("update", request, 400, "If-Match");
    }

    /// <summary>
    /// Valid JSON numbers DynamoDB cannot store (over 38 significant digits, magnitude outside 1E-130 to
    /// 9.99…E+125) are the caller's mistake: 400 naming where in the body, never DynamoDB's 500.
    /// </summary>
    [Theory]
    [InlineData("{\"amount\":1e999}", "amount", "out of the range")]
    [InlineData("{\"amount\":-1e999}", "amount", "out of the range")]
    [InlineData("{\"amount\":1e126}", "amount", "out of the range")]
    [InlineData("{\"amount\":-1.5E+200}", "amount", "out of the range")]
    [InlineData("{\"amount\":1e-131}", "amount", "out of the range")]
    [InlineData("{\"amount\":0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001}", "amount", "out of the range")]
    [InlineData("{\"amount\":1e-99999999999999999999}", "amount", "out of the range")]
    [InlineData("{\"amount\":123456789012345678901234567890123456789}", "amount", "38 significant digits")]
    [InlineData("{\"amount\":0.1234567890123456789012345678901234567891}", "amount", "38 significant digits")]
    [InlineData("{\"lines\":[{\"price\":1},{\"price\":1e999}]}", "lines[1].price", "out of the range")]
    public async Task CreateAndUpdate_NumberDynamoDbCannotStore_400(string body, string path, string messagePart)
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        await AssertError("create", Request(query, body), 400, $"The number at {path} in the body {(messagePart == "38 significant digits" ? "has more than the " : "is ")}{messagePart}");
        await AssertError("update", Request(new() { ["memberId"] = "m1" }, body, ClaimId), 400, $"at {path} in the body");
    }

    /// <summary>JSON has no NaN or Infinity: such a body is not valid JSON.</summary>
    [Theory]
    [InlineData("{\"amount\":NaN}")]
    [InlineData("{\"amount\":Infinity}")]
    [InlineData("{\"amount\":-Infinity}")]
    [InlineData("{\"amount\":+1}")]
    [InlineData("{\"amount\":.5}")]
    [InlineData("{\"amount\":0x10}")]
    public async Task Create_NumberNotJson_400NotValidJson(string body)
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        await AssertError("create", Request(query, body), 400, "not valid JSON");
    }

    [Fact]
    public async Task Create_NestedDeeperThanDynamoDbStores_400()
    {
        var query = new Dictionary<string, string> { ["memberId"] = "m1", ["policyId"] = "p1", ["memberName"] = "Jo" };
        var body = "{\"a\":" + new string('[', 32) + "1" + new string(']', 32) + "}";
        await AssertError("create", Request(query, body), 400, "nested deeper than the 32 levels");
    }
}
