using System.Collections.Frozen;
using Cloister.Tables.Storage;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// What authorizing a request on one table needs, built once per change of the table: its definition (for the key
/// schemas behind <c>dynamodb:LeadingKeys</c>), its ARN and its indexes' ARNs (so no request formats one), and its
/// resource-based policy compiled.
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
        _indexArns = definition.Indexes.ToFrozenDictionary(index => index.Name, index => IndexArnOf(arn, index.Name), StringComparer.Ordinal);
    }

    public TableDefinition Definition { get; }

    /// <summary><c>arn:{partition}:dynamodb:{region}:{account}:table/{name}</c>.</summary>
    public string Arn { get; }

    /// <summary>The table's resource-based policy, or null without one.</summary>
    public PolicyDocument? ResourcePolicy { get; }

    /// <summary>The DynamoDB condition keys the resource policy reads.</summary>
    public DynamoDbKeys ResourceKeys { get; }

    /// <summary><c>{table ARN}/index/{index}</c>; formatted only for an index the table does not have.</summary>
    public string IndexArn(string index) => _indexArns.TryGetValue(index, out var arn) ? arn : IndexArnOf(Arn, index);

    public static string IndexArnOf(string tableArn, string index) => tableArn + "/index/" + index;
}
