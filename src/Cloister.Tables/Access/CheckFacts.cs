using Cloister.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// The DynamoDB condition key values of one check (one action on one resource), gathered from the request only
/// for the keys some policy of the check reads. One per connection, cleared for each check, so its collections are
/// reused rather than allocated per request.
/// </summary>
internal sealed class CheckFacts
{
    private readonly List<string> _leadingKeys = [];
    private readonly HashSet<string> _attributes = new(StringComparer.Ordinal);
    private bool _hasLeadingKeys;
    private bool _hasAttributes;

    /// <summary>The keys the current check's policies read: only these are worked out.</summary>
    public DynamoDbKeys Wanted { get; private set; }

    public string? Select { get; set; }

    public string? ReturnValues { get; set; }

    public string? ReturnConsumedCapacity { get; set; }

    public string? EnclosingOperation { get; set; }

    /// <summary>Starts a check: forgets the last one's values.</summary>
    public void Begin(DynamoDbKeys wanted)
    {
        Wanted = wanted;
        _leadingKeys.Clear();
        _attributes.Clear();
        _hasLeadingKeys = false;
        _hasAttributes = false;
        Select = null;
        ReturnValues = null;
        ReturnConsumedCapacity = null;
        EnclosingOperation = null;
    }

    public bool Wants(DynamoDbKeys key) => (Wanted & key) != 0;

    /// <summary>Declares the request addresses items by partition key (so the key is present, possibly with no values yet).</summary>
    public List<string> LeadingKeys()
    {
        _hasLeadingKeys = true;
        return _leadingKeys;
    }

    /// <summary>Declares the request names attributes (so the key is present).</summary>
    public HashSet<string> Attributes()
    {
        _hasAttributes = true;
        return _attributes;
    }

    /// <summary>Writes the wanted keys into <paramref name="context"/>: set when the request has them, removed when it has not.</summary>
    public void ApplyTo(RequestContext context)
    {
        if (Wants(DynamoDbKeys.LeadingKeys))
        {
            SetMany(context, DynamoDbKeyNames.LeadingKeys, _hasLeadingKeys, _leadingKeys);
        }

        if (Wants(DynamoDbKeys.Attributes))
        {
            SetMany(context, DynamoDbKeyNames.Attributes, _hasAttributes, _attributes);
        }

        SetOne(context, DynamoDbKeys.Select, DynamoDbKeyNames.Select, Select);
        SetOne(context, DynamoDbKeys.ReturnValues, DynamoDbKeyNames.ReturnValues, ReturnValues);
        SetOne(context, DynamoDbKeys.ReturnConsumedCapacity, DynamoDbKeyNames.ReturnConsumedCapacity, ReturnConsumedCapacity);
        SetOne(context, DynamoDbKeys.EnclosingOperation, DynamoDbKeyNames.EnclosingOperation, EnclosingOperation);
    }

    private static void SetMany(RequestContext context, string key, bool present, List<string> values)
    {
        if (Present(context, key, present))
        {
            foreach (var value in values)
            {
                context.Add(key, value);
            }
        }
    }

    private static void SetMany(RequestContext context, string key, bool present, HashSet<string> values)
    {
        if (Present(context, key, present))
        {
            foreach (var value in values)
            {
                context.Add(key, value);
            }
        }
    }

    /// <summary>Removes the key when absent; otherwise empties it for its values and says so.</summary>
    private static bool Present(RequestContext context, string key, bool present)
    {
        if (!present)
        {
            context.Remove(key);
            return false;
        }

        context.SetEmpty(key);
        return true;
    }

    private void SetOne(RequestContext context, DynamoDbKeys flag, string key, string? value)
    {
        if (!Wants(flag))
        {
            return;
        }

        if (value is null)
        {
            context.Remove(key);
        }
        else
        {
            context.Set(key, value);
        }
    }
}
