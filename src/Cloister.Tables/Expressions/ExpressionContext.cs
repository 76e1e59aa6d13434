using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>
/// The ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by all of its
/// expressions so that unused entries can be reported the way DynamoDB reports them.
/// </summary>
internal sealed class ExpressionContext
{
    private readonly IReadOnlyDictionary<string, string>? _names;
    private readonly IReadOnlyDictionary<string, AttributeValue>? _values;
    private HashSet<string>? _usedNames;
    private HashSet<string>? _usedValues;

    public ExpressionContext(IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue>? values)
    {
        _names = names;
        _values = values;
        if (values is { Count: 0 })
        {
            throw DynamoDbException.Validation("ExpressionAttributeValues must not be empty");
        }

        if (names is { Count: 0 })
        {
            throw DynamoDbException.Validation("ExpressionAttributeNames must not be empty");
        }

        foreach (var name in names?.Values ?? [])
        {
            AttributeValueReader.CheckName(name);
        }
    }

    private static string Missing(string[] expressions) =>
        expressions.Length == 0 ? "" : $": {string.Join(" and ", expressions)} {(expressions.Length == 1 ? "is" : "are")} null";

    /// <summary>For requests without names or values; shared, as nothing can be resolved (and so recorded) in it.</summary>
    public static ExpressionContext Empty { get; } = new(null, null);

    public bool HasNames => _names is not null;

    public bool HasValues => _values is not null;

    /// <summary>
    /// The name <paramref name="reference"/> stands for, recorded as used; or, when the request does not define it, null and the
    /// error DynamoDB answers (which the parser reports once it knows no error DynamoDB ranks higher follows).
    /// </summary>
    public string? TryResolveName(string reference, string kind, out DynamoDbException? undefined)
    {
        if (_names is null || !_names.TryGetValue(reference, out var name))
        {
            undefined = DynamoDbException.Validation($"Invalid {kind}: An expression attribute name used in the document path is not defined; attribute name: {reference}");
            return null;
        }

        (_usedNames ??= new(StringComparer.Ordinal)).Add(reference);
        undefined = null;
        return name;
    }

    /// <summary>As <see cref="TryResolveName"/>, for a value placeholder.</summary>
    public AttributeValue? TryResolveValue(string reference, string kind, out DynamoDbException? undefined)
    {
        if (_values is null || !_values.TryGetValue(reference, out var value))
        {
            undefined = DynamoDbException.Validation($"Invalid {kind}: An expression attribute value used in expression is not defined; attribute value: {reference}");
            return null;
        }

        (_usedValues ??= new(StringComparer.Ordinal)).Add(reference);
        undefined = null;
        return value;
    }

    /// <summary>
    /// After every expression of the request was parsed: DynamoDB rejects names and values nobody used, and names or values in a
    /// request without any of its expressions, naming those it lacks in its own order ("ExpressionAttributeValues can only be
    /// specified when using expressions: UpdateExpression and ConditionExpression are null", as DynamoDB answered an SDK user; the
    /// values' list leaves ProjectionExpression out, as dynalite's checks, written against DynamoDB, do).
    /// </summary>
    public void VerifyAllUsed(System.Text.Json.JsonElement request, params string[] expressions)
    {
        if (!expressions.Any(expression => RequestReader.Has(request, expression)))
        {
            if (_names is not null)
            {
                throw DynamoDbException.Validation("ExpressionAttributeNames can only be specified when using expressions" + Missing(expressions));
            }

            if (_values is not null)
            {
                throw DynamoDbException.Validation("ExpressionAttributeValues can only be specified when using expressions" + Missing([.. expressions.Where(expression => expression != "ProjectionExpression")]));
            }

            return;
        }

        if (_names is not null)
        {
            var unused = _names.Keys.Where(key => _usedNames?.Contains(key) != true).ToList();
            if (unused.Count > 0)
            {
                throw DynamoDbException.Validation($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unused)}}}");
            }
        }

        if (_values is not null)
        {
            var unused = _values.Keys.Where(key => _usedValues?.Contains(key) != true).ToList();
            if (unused.Count > 0)
            {
                throw DynamoDbException.Validation($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unused)}}}");
            }
        }
    }
}
