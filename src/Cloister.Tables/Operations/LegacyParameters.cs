using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Operations;

/// <summary>
/// The pre-expression parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter,
/// ScanFilter, ConditionalOperator), which older clients such as the .NET SDK's document model
/// still send, translated into the same expression trees.
/// </summary>
internal static class LegacyParameters
{
    /// <summary>ComparisonOperator's values, in the order DynamoDB lists them when refusing another.</summary>
    private static readonly string[] Operators = ["EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"];

    /// <summary>
    /// DynamoDB refuses a request that mixes expression parameters with the pre-expression ones, naming both kinds in the
    /// order given; Cloister would otherwise act on one and silently ignore the other.
    /// </summary>
    public static void RefuseMixed(JsonElement request, ReadOnlySpan<string> expressions, ReadOnlySpan<string> legacy)
    {
        var usedExpressions = Present(request, expressions);
        if (usedExpressions.Count == 0)
        {
            return;
        }

        var usedLegacy = Present(request, legacy);

        // KeyConditions goes with a FilterExpression or ProjectionExpression; only beside a KeyConditionExpression is it mixing.
        if (!RequestReader.Has(request, "KeyConditionExpression"))
        {
            usedLegacy.Remove("KeyConditions");
        }

        if (usedLegacy.Count > 0)
        {
            throw DynamoDbException.Validation(
                $"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{string.Join(", ", usedLegacy)}}} Expression parameters: {{{string.Join(", ", usedExpressions)}}}");
        }
    }

    private static List<string> Present(JsonElement request, ReadOnlySpan<string> members)
    {
        var present = new List<string>();
        foreach (var member in members)
        {
            if (RequestReader.Has(request, member))
            {
                present.Add(member);
            }
        }

        return present;
    }

    /// <summary>
    /// Expected, KeyConditions, QueryFilter or ScanFilter as one condition; <paramref name="expected"/> for Expected, whose
    /// entries also take <c>Exists</c> and <c>Value</c>.
    /// </summary>
    public static Condition ToCondition(JsonElement conditions, string? conditionalOperator, bool expected = false)
    {
        var parts = new List<Condition>();
        foreach (var property in conditions.EnumerateObject())
        {
            if (expected)
            {
                CheckExpected(property.Name, property.Value);
            }

            parts.Add(ToCondition(property.Name, property.Value));
        }

        if (parts.Count == 0)
        {
            throw DynamoDbException.Validation("1 validation error detected: conditions must not be empty");
        }

        var op = conditionalOperator ?? "AND";
        if (op is not ("AND" or "OR"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{op}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]");
        }

        return parts.Skip(1).Aggregate(parts[0], (left, right) => new LogicalCondition(op, left, right));
    }

    public static ImmutableArray<UpdateAction> ToUpdate(JsonElement updates)
    {
        var actions = ImmutableArray.CreateBuilder<UpdateAction>();
        foreach (var property in updates.EnumerateObject())
        {
            var path = DocumentPath.Of(property.Name);
            var action = RequestReader.GetString(property.Value, "Action") ?? "PUT";
            var value = property.Value.TryGetProperty("Value", out var element) && element.ValueKind == JsonValueKind.Object
                ? new ValueOperand(":" + property.Name, AttributeValueReader.Read(element, 0))
                : null;

            // DynamoDB holds each action to the types it takes before it reads the item: ADD to numbers, sets and (appending) lists,
            // DELETE with a value to sets.
            if (value is not null && (action, value.Value.Kind) is
                ("ADD", not (AttributeKind.N or AttributeKind.SS or AttributeKind.NS or AttributeKind.BS or AttributeKind.L)) or
                ("DELETE", not (AttributeKind.SS or AttributeKind.NS or AttributeKind.BS)))
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: {(action == "ADD" ? "ADD action" : "DELETE action with value")} is not supported for the type {value.Value.TypeName}");
            }

            actions.Add(action switch
            {
                "PUT" when value is not null => new UpdateAction(UpdateActionKind.Set, path, value),
                "DELETE" when value is null => new UpdateAction(UpdateActionKind.Remove, path, null),
                "DELETE" => new UpdateAction(UpdateActionKind.Delete, path, value),
                "ADD" when value is not null => new UpdateAction(UpdateActionKind.Add, path, value),
                _ => throw DynamoDbException.Validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"),
            });
        }

        return actions.ToImmutable();
    }

    /// <summary>An Expected entry's members in the combinations DynamoDB accepts, with its messages for the others.</summary>
    private static void CheckExpected(string name, JsonElement spec)
    {
        var hasList = RequestReader.Has(spec, "AttributeValueList");
        var hasValue = RequestReader.Has(spec, "Value");
        var exists = RequestReader.GetBool(spec, "Exists");
        var op = RequestReader.GetString(spec, "ComparisonOperator");
        var problem =
            hasList && hasValue ? "Value and AttributeValueList cannot be used together" :
            op is not null && exists is not null ? "Exists and ComparisonOperator cannot be used together" :
            op is not null and not ("NULL" or "NOT_NULL") && !hasList && !hasValue ? $"Value or AttributeValueList must be used with ComparisonOperator: {op}" :
            op is not null ? null :
            hasList ? "AttributeValueList can only be used with a ComparisonOperator" :
            exists != false && !hasValue ? $"Value must be provided when Exists is {(exists is null ? "null" : "true")}" :
            exists == false && hasValue ? "Value cannot be used when Exists is false" :
            null;
        if (problem is not null)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: {problem} for Attribute: {name}");
        }
    }

    private static Condition ToCondition(string name, JsonElement spec)
    {
        var path = new PathOperand(DocumentPath.Of(name));
        var values = new List<Operand>();
        if (RequestReader.GetArray(spec, "AttributeValueList") is { } list)
        {
            foreach (var element in list.EnumerateArray())
            {
                values.Add(new ValueOperand(":" + name, AttributeValueReader.Read(element, 0)));
            }
        }

        if (spec.TryGetProperty("Value", out var single) && single.ValueKind == JsonValueKind.Object)
        {
            values.Add(new ValueOperand(":" + name, AttributeValueReader.Read(single, 0)));
        }

        var op = RequestReader.GetString(spec, "ComparisonOperator");
        if (op is null)
        {
            var exists = RequestReader.GetBool(spec, "Exists") ?? true;
            if (!exists)
            {
                return new FunctionCondition("attribute_not_exists", [path]);
            }

            op = "EQ";
        }

        if (!Operators.Contains(op))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{op}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Operators)}]");
        }

        // Each operator takes exactly its number of values (IN one or more), as DynamoDB checks.
        var expectedCount = op switch
        {
            "NULL" or "NOT_NULL" => 0,
            "BETWEEN" => 2,
            "IN" => Math.Max(1, values.Count),
            _ => 1,
        };
        if (values.Count != expectedCount)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Invalid number of argument(s) for the {op} ComparisonOperator");
        }

        Operand Arg(int index) => values[index];
        return op switch
        {
            "EQ" => new ComparisonCondition(TokenKind.Equal, path, Arg(0)),
            "NE" => new ComparisonCondition(TokenKind.NotEqual, path, Arg(0)),
            "LT" => new ComparisonCondition(TokenKind.Less, path, Arg(0)),
            "LE" => new ComparisonCondition(TokenKind.LessOrEqual, path, Arg(0)),
            "GT" => new ComparisonCondition(TokenKind.Greater, path, Arg(0)),
            "GE" => new ComparisonCondition(TokenKind.GreaterOrEqual, path, Arg(0)),
            "NOT_NULL" => new FunctionCondition("attribute_exists", [path]),
            "NULL" => new FunctionCondition("attribute_not_exists", [path]),
            "CONTAINS" => new FunctionCondition("contains", [path, Arg(0)]),
            "NOT_CONTAINS" => new LogicalCondition("NOT", new FunctionCondition("contains", [path, Arg(0)]), null),
            "BEGINS_WITH" => new FunctionCondition("begins_with", [path, Arg(0)]),
            "IN" => new InCondition(path, [.. values]),
            _ => new BetweenCondition(path, Arg(0), Arg(1)),
        };
    }
}
