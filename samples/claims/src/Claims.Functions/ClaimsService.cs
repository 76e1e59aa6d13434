using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Claims.Functions;

/// <summary>
/// The claims API (samples/claims, spec/claims-api.md): one method per operation, each taking the
/// request and giving the response. Claims live under <c>PK = MEMBER#{memberId}</c>,
/// <c>SK = CLAIM#{claimId}</c>; responses never show the keys.
/// </summary>
public sealed class ClaimsService
{
    /// <summary>The largest body accepted.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly HashSet<string> ReservedFields = new(StringComparer.Ordinal) { "PK", "SK", "claimId", "memberId", "createdAt", "updatedAt", "version" };

    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly string _tableName;
    private readonly TimeProvider _time;
    private readonly NextTokenCodec _tokens;
    private readonly TextWriter _errorLog;

    /// <summary>A service over <paramref name="tableName"/>; unexpected failures are logged to <paramref name="errorLog"/> (standard error by default).</summary>
    public ClaimsService(IAmazonDynamoDB dynamoDb, string tableName, TimeProvider? time = null, TextWriter? errorLog = null)
    {
        _dynamoDb = dynamoDb;
        _tableName = tableName;
        _time = time ?? TimeProvider.System;
        _tokens = new NextTokenCodec(tableName);
        _errorLog = errorLog ?? Console.Error;
    }

    /// <summary>Runs the operation named by <paramref name="handler"/> (create, get, list, update, delete).</summary>
    public async Task<ClaimResponse> HandleAsync(string handler, ClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return handler switch
            {
                "create" => await CreateAsync(request, cancellationToken).ConfigureAwait(false),
                "get" => await GetAsync(request, cancellationToken).ConfigureAwait(false),
                "list" => await ListAsync(request, cancellationToken).ConfigureAwait(false),
                "update" => await UpdateAsync(request, cancellationToken).ConfigureAwait(false),
                "delete" => await DeleteAsync(request, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unknown handler '{handler}'."),
            };
        }
        catch (ClaimProblem problem)
        {
            return ClaimResponse.Error(problem.StatusCode, problem.Message);
        }
#pragma warning disable CA1031 // The boundary: anything unexpected is logged with the request id and answered 500, never with its text.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await _errorLog.WriteLineAsync($"ERROR RequestId: {request.RequestId} {handler} failed: {exception}").ConfigureAwait(false);
            return ClaimResponse.Error(500, "Internal error");
        }
    }

    private async Task<ClaimResponse> CreateAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var memberId = Required(request, "memberId");
        var policyId = Required(request, "policyId");
        var memberName = Required(request, "memberName");
        var fields = ReadFields(request);
        var claimId = Guid.NewGuid().ToString();
        var now = Now();

        var item = fields;
        item["PK"] = new AttributeValue { S = MemberKey(memberId) };
        item["SK"] = new AttributeValue { S = ClaimKey(claimId) };
        item["claimId"] = new AttributeValue { S = claimId };
        item["memberId"] = new AttributeValue { S = memberId };
        item["policyId"] = new AttributeValue { S = policyId };
        item["memberName"] = new AttributeValue { S = memberName };
        item["createdAt"] = new AttributeValue { S = now };
        item["updatedAt"] = new AttributeValue { S = now };
        item["version"] = new AttributeValue { N = "1" };

        await _dynamoDb.PutItemAsync(
            new PutItemRequest { TableName = _tableName, Item = item, ConditionExpression = "attribute_not_exists(PK)" },
            cancellationToken).ConfigureAwait(false);

        var location = $"/{request.Stage}/claim/{claimId}?memberId={Uri.EscapeDataString(memberId)}";
        return ClaimResponse.Json(201, ToJson(item), new Dictionary<string, string> { ["Location"] = location });
    }

    private async Task<ClaimResponse> GetAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var claimId = ClaimId(request);
        var memberId = Required(request, "memberId");
        var response = await _dynamoDb.GetItemAsync(
            new GetItemRequest { TableName = _tableName, Key = Key(memberId, claimId), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? ClaimResponse.Json(200, ToJson(item)) : NotFound();
    }

    private async Task<ClaimResponse> ListAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var memberId = Required(request, "memberId");
        var limit = 20;
        if (request.Query("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw new ClaimProblem(400, "limit must be a whole number from 1 to 100");
        }

        var query = new QueryRequest
        {
            TableName = _tableName,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":pk"] = new() { S = MemberKey(memberId) },
                [":prefix"] = new() { S = "CLAIM#" },
            },
            Limit = limit,
        };
        if (request.Query("nextToken") is { } token)
        {
            if (!_tokens.TryDecode(token, out var startKey) || startKey["PK"].S != MemberKey(memberId))
            {
                throw new ClaimProblem(400, "nextToken is not valid");
            }

            query.ExclusiveStartKey = startKey;
        }

        var response = await _dynamoDb.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var json = new StringBuilder("{\"claims\":[");
        for (var i = 0; i < (response.Items?.Count ?? 0); i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append(ToJson(response.Items![i]));
        }

        json.Append("],\"nextToken\":");
        json.Append(response.LastEvaluatedKey is { Count: > 0 } last ? JsonSerializer.Serialize(_tokens.Encode(last), ClaimsJsonContext.Default.String) : "null");
        json.Append('}');
        return ClaimResponse.Json(200, json.ToString());
    }

    private async Task<ClaimResponse> UpdateAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var claimId = ClaimId(request);
        var memberId = Required(request, "memberId");
        var fields = ReadFields(request);
        long? expectedVersion = null;
        if (request.Header("If-Match") is { } ifMatch)
        {
            if (!long.TryParse(ifMatch.Trim('"', ' '), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new ClaimProblem(400, "If-Match must be a version number");
            }

            expectedVersion = version;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#updatedAt"] = "updatedAt", ["#version"] = "version" };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":updatedAt"] = new() { S = Now() }, [":one"] = new() { N = "1" } };
        var set = new StringBuilder("SET #updatedAt = :updatedAt, #version = #version + :one");
        var index = 0;
        foreach (var (name, value) in fields)
        {
            names[$"#f{index}"] = name;
            values[$":f{index}"] = value;
            set.Append(CultureInfo.InvariantCulture, $", #f{index} = :f{index}");
            index++;
        }

        var condition = "attribute_exists(PK)";
        if (expectedVersion is { } v)
        {
            condition += " AND #version = :expected";
            values[":expected"] = new AttributeValue { N = v.ToString(CultureInfo.InvariantCulture) };
        }

        try
        {
            var response = await _dynamoDb.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _tableName,
                    Key = Key(memberId, claimId),
                    UpdateExpression = set.ToString(),
                    ConditionExpression = condition,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                    ReturnValues = ReturnValue.ALL_NEW,
                    ReturnValuesOnConditionCheckFailure = Amazon.DynamoDBv2.ReturnValuesOnConditionCheckFailure.ALL_OLD,
                },
                cancellationToken).ConfigureAwait(false);
            return ClaimResponse.Json(200, ToJson(response.Attributes));
        }
        catch (ConditionalCheckFailedException failed)
        {
            // The old item comes back only when it exists: then the version was wrong.
            return failed.Item is { Count: > 0 } ? ClaimResponse.Error(412, "Version mismatch") : NotFound();
        }
    }

    private async Task<ClaimResponse> DeleteAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var claimId = ClaimId(request);
        var memberId = Required(request, "memberId");
        try
        {
            await _dynamoDb.DeleteItemAsync(
                new DeleteItemRequest { TableName = _tableName, Key = Key(memberId, claimId), ConditionExpression = "attribute_exists(PK)" },
                cancellationToken).ConfigureAwait(false);
            return ClaimResponse.NoContent();
        }
        catch (ConditionalCheckFailedException)
        {
            return NotFound();
        }
    }

    private static ClaimResponse NotFound() => ClaimResponse.Error(404, "Claim not found");

    private static string Required(ClaimRequest request, string name) =>
        request.Query(name) ?? throw new ClaimProblem(400, $"Missing required query parameter: {name}");

    private static string ClaimId(ClaimRequest request)
    {
        if (!request.PathParameters.TryGetValue("id", out var id) || !Guid.TryParseExact(id, "D", out var parsed))
        {
            throw new ClaimProblem(400, "The claim id must be a UUID");
        }

        return parsed.ToString();
    }

    private static Dictionary<string, AttributeValue> ReadFields(ClaimRequest request)
    {
        if (string.IsNullOrEmpty(request.Body))
        {
            throw new ClaimProblem(400, "A JSON object body is required");
        }

        if (Encoding.UTF8.GetByteCount(request.Body) > MaxBodyBytes)
        {
            throw new ClaimProblem(413, "The body is larger than 64 KiB");
        }

        try
        {
            using var parsed = JsonDocument.Parse(request.Body);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ClaimProblem(400, "The body must be a JSON object");
            }

            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                if (ReservedFields.Contains(property.Name))
                {
                    throw new ClaimProblem(400, $"The body may not set {property.Name}");
                }
            }

            return ClaimFields.Read(parsed.RootElement);
        }
        catch (JsonException)
        {
            throw new ClaimProblem(400, "The body is not valid JSON");
        }
    }

    private static Dictionary<string, AttributeValue> Key(string memberId, string claimId) => new(StringComparer.Ordinal)
    {
        ["PK"] = new AttributeValue { S = MemberKey(memberId) },
        ["SK"] = new AttributeValue { S = ClaimKey(claimId) },
    };

    private static string MemberKey(string memberId) => "MEMBER#" + memberId;

    private static string ClaimKey(string claimId) => "CLAIM#" + claimId;

    private string Now() => _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string ToJson(Dictionary<string, AttributeValue> item)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ClaimFields.Write(writer, item.Where(field => field.Key is not ("PK" or "SK")));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
