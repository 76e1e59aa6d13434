using System.Text.Json;
using Cloister.Tables.Expressions;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Access;

/// <summary>
/// The DynamoDB condition key values of a request, worked out only when a policy of the check reads them:
/// <c>dynamodb:LeadingKeys</c>, the partition key values of the items addressed (as their JSON text: S as is, N as
/// written, B in base64), and <c>dynamodb:Attributes</c>, the top-level attribute names the request names — its
/// item or key, its projection (ProjectionExpression or AttributesToGet), its condition, filter and key condition
/// (or their legacy forms) and its update.
/// </summary>
internal sealed partial class RequestAuthorizer
{
    /// <summary>The partition key value of an item or key, when it has one.</summary>
    private static void AddLeadingKey(CheckFacts facts, JsonElement? itemOrKey, string? hashKey)
    {
        if (!facts.Wants(DynamoDbKeys.LeadingKeys))
        {
            return;
        }

        var keys = facts.LeadingKeys();
        if (hashKey is not null && itemOrKey is { ValueKind: JsonValueKind.Object } item && item.TryGetProperty(hashKey, out var value) && KeyText(value) is { } text)
        {
            keys.Add(text);
        }
    }

    /// <summary>The partition key value of a Query: the equality on the (table's or index's) partition key, as the query itself reads it.</summary>
    private static void LeadingKeyOfCondition(CheckFacts facts, Condition? condition, string? hashKey)
    {
        var keys = facts.LeadingKeys();
        if (hashKey is not null && condition is not null && PartitionValue(condition, hashKey) is { } value && KeyText(value) is { } text)
        {
            keys.Add(text);
        }
    }

    private static AttributeValue? PartitionValue(Condition condition, string hashKey) => condition switch
    {
        LogicalCondition { Operator: "AND" } and => PartitionValue(and.Left, hashKey) ?? PartitionValue(and.Right!, hashKey),
        ComparisonCondition { Operator: TokenKind.Equal, Left: PathOperand { Path.IsTopLevel: true } path, Right: ValueOperand value }
            when path.Path.TopLevel == hashKey => value.Value,
        ComparisonCondition { Operator: TokenKind.Equal, Left: ValueOperand value, Right: PathOperand { Path.IsTopLevel: true } path }
            when path.Path.TopLevel == hashKey => value.Value,
        _ => null,
    };

    /// <summary>The names of an item's or key's attributes.</summary>
    private static void AddNames(CheckFacts facts, JsonElement? item)
    {
        if (!facts.Wants(DynamoDbKeys.Attributes) || item is not { ValueKind: JsonValueKind.Object } value)
        {
            return;
        }

        var names = facts.Attributes();
        foreach (var property in value.EnumerateObject())
        {
            names.Add(property.Name);
        }
    }

    /// <summary>The names a projection (ProjectionExpression or AttributesToGet) reads.</summary>
    private static void AddProjection(CheckFacts facts, JsonElement request)
    {
        if (!facts.Wants(DynamoDbKeys.Attributes))
        {
            return;
        }

        if (RequestReader.GetString(request, "ProjectionExpression") is { } expression)
        {
            ExpressionNames.Collect(ExpressionParser.ParseProjection(expression, DynamoDbService.ExpressionContextOf(request)), facts.Attributes());
        }
        else if (RequestReader.GetArray(request, "AttributesToGet") is { } names)
        {
            var attributes = facts.Attributes();
            foreach (var name in names.EnumerateArray())
            {
                attributes.Add(AttributeValueReader.GetString(name));
            }
        }
    }

    /// <summary>
    /// <c>dynamodb:Select</c> of a read: the request's Select when it takes one (<paramref name="hasSelect"/>), else
    /// SPECIFIC_ATTRIBUTES with a projection, ALL_PROJECTED_ATTRIBUTES on an index, ALL_ATTRIBUTES otherwise.
    /// </summary>
    private static void AddSelect(CheckFacts facts, JsonElement request, string? indexName, bool hasSelect)
    {
        if (!facts.Wants(DynamoDbKeys.Select))
        {
            return;
        }

        var projected = RequestReader.GetString(request, "ProjectionExpression") is not null || RequestReader.GetArray(request, "AttributesToGet") is not null;
        facts.Select = (hasSelect ? RequestReader.GetString(request, "Select") : null)
            ?? (projected ? "SPECIFIC_ATTRIBUTES" : indexName is null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES");
    }

    private static void AddCapacity(CheckFacts facts, JsonElement request)
    {
        if (facts.Wants(DynamoDbKeys.ReturnConsumedCapacity))
        {
            facts.ReturnConsumedCapacity = RequestReader.GetString(request, "ReturnConsumedCapacity");
        }
    }

    /// <summary>The names a condition or filter reads, from its expression or its legacy form.</summary>
    private static void AddCondition(CheckFacts facts, JsonElement request, string member, string legacyMember, ExpressionContext context)
    {
        if (RequestReader.GetString(request, member) is { } text)
        {
            ExpressionNames.Collect(ExpressionParser.ParseCondition(text, member, context), facts.Attributes());
        }
        else if (RequestReader.GetObject(request, legacyMember) is { } legacy)
        {
            ExpressionNames.Collect(LegacyParameters.ToCondition(legacy, RequestReader.GetString(request, "ConditionalOperator"), expected: legacyMember == "Expected"), facts.Attributes());
        }
    }

    /// <summary>A key attribute's value as <c>dynamodb:LeadingKeys</c> holds it: <c>{"S":"a"}</c> is <c>a</c>, <c>{"N":"1"}</c> is <c>1</c>, B its base64.</summary>
    private static string? KeyText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        }

        return null;
    }

    private static string? KeyText(AttributeValue value) => value.Kind switch
    {
        AttributeKind.S => value.S,
        AttributeKind.N => value.N.ToString(),
        AttributeKind.B => Convert.ToBase64String(value.B),
        _ => null,
    };
}
