using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Tables.Storage;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// What authorizing a request on one table needs, built once per change of the table: its definition (for the key
/// schemas behind <c>dynamodb:LeadingKeys</c>), its ARN and its indexes' ARNs (so no request formats one), its
/// resource-based policy compiled, and its tags named as the <c>aws:ResourceTag/KEY</c> keys they fill.
/// </summary>
internal sealed class TableAccessEntry
{
    private readonly FrozenDictionary<string, string> _indexArns;

    public TableAccessEntry(TableDefinition definition, string arn, PolicyDocument? resourcePolicy)
    {
        Definition = definition;
        Arn = arn;
        ResourcePolicy = resourcePolicy;
        ResourceKeys = DynamoDbKeyNames.ReadBy(resourcePolicy);
        ResourceTags = [.. definition.TagList.Select(tag => KeyValuePair.Create(TagKeyNames.ResourceTag + tag.Key, tag.Value))];
        _indexArns = definition.Indexes.ToFrozenDictionary(index => index.Name, index => IndexArnOf(arn, index.Name), StringComparer.Ordinal);
    }

    public TableDefinition Definition { get; }

    /// <summary><c>arn:{partition}:dynamodb:{region}:{account}:table/{name}</c>.</summary>
    public string Arn { get; }

    /// <summary>The table's resource-based policy, or null without one.</summary>
    public PolicyDocument? ResourcePolicy { get; }

    /// <summary>The DynamoDB condition keys the resource policy reads.</summary>
    public DynamoDbKeys ResourceKeys { get; }

    /// <summary>
    /// The table's tags as they are now, as <c>aws:ResourceTag/KEY</c> and value: every check on the table or one of its
    /// indexes carries them (a tag change publishes a new entry, so it changes the next decision).
    /// </summary>
    public ImmutableArray<KeyValuePair<string, string>> ResourceTags { get; }

    /// <summary><c>{table ARN}/index/{index}</c>; formatted only for an index the table does not have.</summary>
    public string IndexArn(string index) => _indexArns.TryGetValue(index, out var arn) ? arn : IndexArnOf(Arn, index);

    public static string IndexArnOf(string tableArn, string index) => tableArn + "/index/" + index;
}
