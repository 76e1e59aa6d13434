using System.Collections.Immutable;
using Cloister.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// The DynamoDB condition key values of one check (one action on one resource), gathered from the request only
/// for the keys some policy of the check reads, and the tag keys of the check (<see cref="TagKeyNames"/>): the resource's
/// tags, the tags a request sets or the keys it removes. One per connection, cleared for each check, so its collections
/// are reused rather than allocated per request.
/// </summary>
internal sealed class CheckFacts
{
    private readonly List<string> _leadingKeys = [];
    private readonly HashSet<string> _attributes = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _requestTags = [];
    private readonly List<string> _tagKeys = [];

    /// <summary>The tag keys the last <see cref="ApplyTo"/> put in the context, taken out by the next (tables differ in tags).</summary>
    private readonly List<string> _appliedTagKeys = [];
    private ImmutableArray<KeyValuePair<string, string>> _resourceTags = [];

    /// <summary>The resource tags the last <see cref="ApplyTo"/> put in, and whether it put in a request's tag keys too.</summary>
    private ImmutableArray<KeyValuePair<string, string>> _appliedResourceTags = [];
    private bool _appliedRequestTags;
    private bool _hasLeadingKeys;
    private bool _hasAttributes;
    private bool _hasTagKeys;

    /// <summary>The keys the current check's policies read: only these are worked out.</summary>
    public DynamoDbKeys Wanted { get; private set; }

    public string? Select { get; set; }

    public string? ReturnValues { get; set; }

    public string? ReturnConsumedCapacity { get; set; }

    public string? EnclosingOperation { get; set; }

    /// <summary>Starts a check on a resource with <paramref name="resourceTags"/> (<c>aws:ResourceTag/KEY</c> and value): forgets the last one's values.</summary>
    public void Begin(DynamoDbKeys wanted, ImmutableArray<KeyValuePair<string, string>> resourceTags)
    {
        Wanted = wanted;
        _resourceTags = resourceTags;
        _leadingKeys.Clear();
        _attributes.Clear();
        _requestTags.Clear();
        _tagKeys.Clear();
        _hasLeadingKeys = false;
        _hasAttributes = false;
        _hasTagKeys = false;
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

    /// <summary>A tag the request sets: <c>aws:RequestTag/KEY</c> and one of <c>aws:TagKeys</c>.</summary>
    public void AddRequestTag(string key, string value)
    {
        _requestTags.Add(KeyValuePair.Create(TagKeyNames.RequestTag + key, value));
        TagKeys().Add(key);
    }

    /// <summary>Declares the request sets or removes tags (so <c>aws:TagKeys</c> is present, possibly with no keys).</summary>
    public List<string> TagKeys()
    {
        _hasTagKeys = true;
        return _tagKeys;
    }

    /// <summary>Writes the wanted keys and the tag keys into <paramref name="context"/>: set when the request has them, removed when it has not.</summary>
    public void ApplyTo(RequestContext context)
    {
        ApplyTagsTo(context);
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

    /// <summary>
    /// The tag keys, always: a policy reads each tag under its own key, and a table has at most 50 of them. Those of the
    /// last check are removed first, so one table's tags never answer for another's; a check on the same table entry as
    /// the last (its tags unchanged), with no request tags either time, leaves them in place.
    /// </summary>
    private void ApplyTagsTo(RequestContext context)
    {
        if (_resourceTags == _appliedResourceTags && !_hasTagKeys && !_appliedRequestTags)
        {
            return;
        }

        _appliedResourceTags = _resourceTags;
        _appliedRequestTags = _hasTagKeys;
        foreach (var key in _appliedTagKeys)
        {
            context.Remove(key);
        }

        _appliedTagKeys.Clear();
        foreach (var (key, value) in _resourceTags)
        {
            context.Set(key, value);
            _appliedTagKeys.Add(key);
        }

        foreach (var (key, value) in _requestTags)
        {
            context.Set(key, value);
            _appliedTagKeys.Add(key);
        }

        if (_hasTagKeys)
        {
            SetMany(context, TagKeyNames.TagKeys, present: true, _tagKeys);
            _appliedTagKeys.Add(TagKeyNames.TagKeys);
        }
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
