using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Operations;

/// <summary>
/// Turns a KeyConditionExpression into a key range: an equality on the partition key, optionally
/// AND one condition (=, &lt;, &lt;=, &gt;, &gt;=, BETWEEN, begins_with) on the sort key.
/// </summary>
internal static class KeyConditionAnalyzer
{
    public static KeyRange Analyze(Condition condition, TableDefinition table, string hashKey, string? rangeKey)
    {
        var parts = new List<Condition>();
        Flatten(condition, parts);
        if (parts.Count > 2)
        {
            throw DynamoDbException.Validation("Conditions can be of length 1 or 2 only");
        }

        byte[]? partition = null;
        Condition? rangeCondition = null;
        var named = new List<(string Name, Condition Part)>(parts.Count);
        foreach (var raw in parts)
        {
            var (attribute, normalized) = KeyAttributeOf(raw);
            if (named.Exists(entry => string.Equals(entry.Name, attribute, StringComparison.Ordinal)))
            {
                throw DynamoDbException.Validation("KeyConditionExpressions must only contain one condition per key");
            }

            named.Add((attribute, normalized));
        }

        foreach (var (name, part) in named)
        {
            if (string.Equals(name, hashKey, StringComparison.Ordinal) && part is ComparisonCondition { Operator: TokenKind.Equal } equal && partition is null)
            {
                var value = ValueOf(equal.Right) ?? ValueOf(equal.Left);
                partition = Encode(table, hashKey, value);

                // No item can have an empty partition key, and DynamoDB says so rather than answering an empty page.
                if (value is { Kind: AttributeKind.S, S.Length: 0 } or { Kind: AttributeKind.B, B.Length: 0 })
                {
                    throw DynamoDbException.Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {hashKey}");
                }
            }
            else if (rangeKey is not null && string.Equals(name, rangeKey, StringComparison.Ordinal) && rangeCondition is null)
            {
                rangeCondition = part;
            }
            else if (string.Equals(name, hashKey, StringComparison.Ordinal) || (rangeKey is not null && string.Equals(name, rangeKey, StringComparison.Ordinal)))
            {
                throw DynamoDbException.Validation("Query key condition not supported");
            }
            else
            {
                throw DynamoDbException.Validation($"Query condition missed key schema element: {(partition is null ? hashKey : rangeKey ?? hashKey)}");
            }
        }

        if (partition is null)
        {
            throw DynamoDbException.Validation($"Query condition missed key schema element: {hashKey}");
        }

        if (rangeCondition is null)
        {
            return new KeyRange(KeyEntry.Probe(partition, null, -1), KeyEntry.Probe(partition, null, 1), null);
        }

        switch (rangeCondition)
        {
            case ComparisonCondition comparison when comparison.Operator != TokenKind.NotEqual && comparison.Left is PathOperand:
                {
                    var value = Encode(table, rangeKey!, ValueOf(comparison.Right));
                    return comparison.Operator switch
                    {
                        TokenKind.Equal => new KeyRange(KeyEntry.Probe(partition, value, -1), KeyEntry.Probe(partition, value, 1), null),
                        TokenKind.Less => new KeyRange(KeyEntry.Probe(partition, null, -1), KeyEntry.Probe(partition, value, -1), null),
                        TokenKind.LessOrEqual => new KeyRange(KeyEntry.Probe(partition, null, -1), KeyEntry.Probe(partition, value, 1), null),
                        TokenKind.Greater => new KeyRange(KeyEntry.Probe(partition, value, 1), KeyEntry.Probe(partition, null, 1), null),
                        _ => new KeyRange(KeyEntry.Probe(partition, value, -1), KeyEntry.Probe(partition, null, 1), null),
                    };
                }

            case BetweenCondition between when between.Value is PathOperand:
                {
                    var lower = Encode(table, rangeKey!, ValueOf(between.Lower));
                    var upper = Encode(table, rangeKey!, ValueOf(between.Upper));
                    return new KeyRange(KeyEntry.Probe(partition, lower, -1), KeyEntry.Probe(partition, upper, 1), null);
                }

            case FunctionCondition { Function: "begins_with" } function:
                {
                    var prefix = ValueOf(function.Arguments[1]);
                    if (table.AttributeTypes[rangeKey!] == "N")
                    {
                        throw DynamoDbException.Validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
                    }

                    var bytes = Encode(table, rangeKey!, prefix);
                    return new KeyRange(KeyEntry.Probe(partition, bytes, -1), KeyEntry.Probe(partition, null, 1), bytes);
                }

            default:
                throw DynamoDbException.Validation("Query key condition not supported");
        }
    }

    private static void Flatten(Condition condition, List<Condition> parts)
    {
        if (condition is LogicalCondition { Operator: "AND" } and)
        {
            Flatten(and.Left, parts);
            Flatten(and.Right!, parts);
        }
        else if (condition is LogicalCondition)
        {
            throw DynamoDbException.Validation($"Invalid operator used in KeyConditionExpression: {((LogicalCondition)condition).Operator}");
        }
        else
        {
            parts.Add(condition);
        }
    }

    /// <summary>
    /// The key attribute one condition of a key condition is on, and the condition with that attribute first (a comparison written
    /// value first, ":lo &lt;= sk", is taken as "sk &gt;= :lo", as DynamoDB takes it). What DynamoDB refuses in a key condition is
    /// refused with its words (dynalite's key-condition checks, written against DynamoDB; the nested-path message as dynoxide
    /// confirmed it against DynamoDB in 2026).
    /// </summary>
    private static (string Name, Condition Condition) KeyAttributeOf(Condition condition)
    {
        ReadOnlySpan<Operand> operands = condition switch
        {
            InCondition => throw DynamoDbException.Validation("Invalid operator used in KeyConditionExpression: IN"),
            ComparisonCondition { Operator: TokenKind.NotEqual } => throw DynamoDbException.Validation("Invalid operator used in KeyConditionExpression: <>"),
            FunctionCondition { Function: not "begins_with" } function => throw DynamoDbException.Validation($"Invalid operator used in KeyConditionExpression: {function.Function}"),
            BetweenCondition { Value: not PathOperand } => throw DynamoDbException.Validation("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"),
            ComparisonCondition comparison => [comparison.Left, comparison.Right],
            BetweenCondition between => [between.Value, between.Lower, between.Upper],
            FunctionCondition function => function.Arguments.AsSpan(),
            _ => throw DynamoDbException.Validation("Query key condition not supported"),
        };

        string? name = null;
        foreach (var operand in operands)
        {
            if (operand is SizeOperand)
            {
                throw DynamoDbException.Validation("KeyConditionExpressions cannot contain nested operations");
            }

            if (operand is PathOperand { Path: var path })
            {
                if (name is not null)
                {
                    throw DynamoDbException.Validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
                }

                if (!path.IsTopLevel)
                {
                    throw DynamoDbException.Validation("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes");
                }

                name = path.TopLevel;
            }
        }

        if (name is null)
        {
            throw DynamoDbException.Validation("Invalid condition in KeyConditionExpression: No key attribute specified");
        }

        if (condition is ComparisonCondition { Right: PathOperand } reversed)
        {
            var flipped = reversed.Operator switch
            {
                TokenKind.Less => TokenKind.Greater,
                TokenKind.LessOrEqual => TokenKind.GreaterOrEqual,
                TokenKind.Greater => TokenKind.Less,
                TokenKind.GreaterOrEqual => TokenKind.LessOrEqual,
                _ => reversed.Operator,
            };
            condition = new ComparisonCondition(flipped, reversed.Right, reversed.Left);
        }

        return (name, condition);
    }

    private static AttributeValue? ValueOf(Operand operand) => operand is ValueOperand value ? value.Value : null;

    private static byte[] Encode(TableDefinition table, string attribute, AttributeValue? value)
    {
        if (value is null)
        {
            throw DynamoDbException.Validation("Query key condition not supported");
        }

        if (!string.Equals(value.TypeName, table.AttributeTypes[attribute], StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        }

        return KeyEncoder.Encode(value);
    }
}
