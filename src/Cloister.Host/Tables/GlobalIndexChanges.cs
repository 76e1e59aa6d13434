using System.Collections.Immutable;
using Cloister.Model.Data;

namespace Cloister.Host.Tables;

/// <summary>
/// How a table's global secondary indexes change from one definition to another, paired by index name: those created
/// (a new name), deleted (a name gone) and changed (the same name with another key, key attribute type or projection,
/// which DynamoDB cannot change in place: <c>UpdateTable</c> updates an existing index's throughput only).
/// </summary>
/// <param name="Created">The new indexes, as wanted.</param>
/// <param name="Deleted">The indexes gone, as they were.</param>
/// <param name="Changed">The indexes whose key or projection changes, as wanted.</param>
internal sealed record GlobalIndexChanges(ImmutableArray<SecondaryIndex> Created, ImmutableArray<SecondaryIndex> Deleted, ImmutableArray<SecondaryIndex> Changed)
{
    /// <summary>CloudFormation's failure of an update that creates or deletes more than one index of a table.</summary>
    public const string TooMany = "Cannot perform more than one GSI creation or deletion in a single update";

    /// <summary>CloudFormation's failure of an update that changes an index's key schema or projection.</summary>
    public const string ChangedIndex = "Cannot update GSI's properties other than Provisioned Throughput and Contributor Insights Specification. You can create a new GSI with a different name.";

    /// <summary>Whether nothing changes.</summary>
    public bool IsEmpty => Created.IsEmpty && Deleted.IsEmpty && Changed.IsEmpty;

    /// <summary>
    /// Why one CloudFormation stack update cannot make these changes, in CloudFormation's words; null when it can (one
    /// index created or deleted, or none). Its handler makes one <c>UpdateTable</c> call, which takes one index creation or
    /// deletion, and does not delete and re-create a changed index.
    /// </summary>
    public string? UpdateRefusal => !Changed.IsEmpty ? ChangedIndex : Created.Length + Deleted.Length > 1 ? TooMany : null;

    /// <summary>The changes from <paramref name="current"/>'s global secondary indexes to <paramref name="wanted"/>'s.</summary>
    public static GlobalIndexChanges Between(Table current, Table wanted)
    {
        var before = current.GlobalSecondaryIndexes.ToDictionary(i => i.IndexName, StringComparer.Ordinal);
        var after = wanted.GlobalSecondaryIndexes.ToDictionary(i => i.IndexName, StringComparer.Ordinal);
        return new(
            [.. wanted.GlobalSecondaryIndexes.Where(i => !before.ContainsKey(i.IndexName))],
            [.. current.GlobalSecondaryIndexes.Where(i => !after.ContainsKey(i.IndexName))],
            [.. wanted.GlobalSecondaryIndexes.Where(i => before.TryGetValue(i.IndexName, out var old) && TableShape.Index(current, old) != TableShape.Index(wanted, i))]);
    }

    /// <summary>The changes as a line: <c>byName created; byDate deleted</c>.</summary>
    public override string ToString() =>
        string.Join("; ", new[] { (Indexes: Created, Verb: "created"), (Indexes: Deleted, Verb: "deleted"), (Indexes: Changed, Verb: "changed") }
            .Where(p => !p.Indexes.IsEmpty)
            .Select(p => $"{string.Join(", ", p.Indexes.Select(i => i.IndexName))} {p.Verb}"));
}
