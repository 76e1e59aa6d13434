using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Model.Data;

namespace Cloister.Host.Tables;

/// <summary>
/// What DynamoDB cannot change of a table in place, as comparable text: its key schema with the key attributes' types
/// and its local secondary indexes (a change of either replaces the table), and each global secondary index's key and
/// projection (DynamoDB updates an existing index's throughput only). The same comparison serves a deployment's change set
/// (<c>StackChanges</c>, the running template against the new one) and the provisioner (the table as the service
/// describes it against the template).
/// </summary>
internal static class TableShape
{
    /// <summary>The table's key: <c>id HASH S, at RANGE N</c>.</summary>
    public static string Key(Table table) => Key(table, table.KeySchema);

    /// <summary>The local secondary indexes, each with its key and projection, in name order.</summary>
    public static string LocalIndexes(Table table) =>
        string.Join("; ", table.LocalSecondaryIndexes.OrderBy(i => i.IndexName, StringComparer.Ordinal).Select(i => $"{i.IndexName}: {Index(table, i)}"));

    /// <summary>An index's key with its attributes' types, then its projection (non-key attributes in name order).</summary>
    public static string Index(Table table, SecondaryIndex index) =>
        $"{Key(table, index.KeySchema)} {index.ProjectionType}" +
        (index.NonKeyAttributes.IsDefaultOrEmpty ? string.Empty : " " + string.Join(" ", index.NonKeyAttributes.Order(StringComparer.Ordinal)));

    /// <summary>
    /// A table as <c>DescribeTable</c> describes it (its <c>Table</c> member), reduced to what <see cref="TableShape"/>
    /// compares and the provisioner changes: key schema, attribute definitions, secondary indexes.
    /// </summary>
    public static Table Described(string logicalId, JsonElement description) =>
        new(
            logicalId,
            description.GetProperty("TableName").GetString()!,
            KeySchema(description),
            description.TryGetProperty("AttributeDefinitions", out var definitions)
                ? definitions.EnumerateArray().ToImmutableDictionary(d => d.GetProperty("AttributeName").GetString()!, d => d.GetProperty("AttributeType").GetString()!, StringComparer.Ordinal)
                : ImmutableDictionary<string, string>.Empty,
            description.TryGetProperty("BillingModeSummary", out var billing) ? billing.GetProperty("BillingMode").GetString()! : "PROVISIONED",
            Indexes(description, "GlobalSecondaryIndexes"),
            Indexes(description, "LocalSecondaryIndexes"),
            TimeToLiveAttribute: null);

    private static string Key(Table table, IEnumerable<KeyElement> keys) =>
        string.Join(", ", keys.Select(k => $"{k.AttributeName} {k.KeyType} {table.AttributeDefinitions.GetValueOrDefault(k.AttributeName)}"));

    private static ImmutableArray<KeyElement> KeySchema(JsonElement owner) =>
        [.. owner.GetProperty("KeySchema").EnumerateArray().Select(k => new KeyElement(k.GetProperty("AttributeName").GetString()!, k.GetProperty("KeyType").GetString()!))];

    private static ImmutableArray<SecondaryIndex> Indexes(JsonElement description, string member) =>
        description.TryGetProperty(member, out var indexes)
            ? [.. indexes.EnumerateArray().Select(i =>
            {
                var projection = i.GetProperty("Projection");
                return new SecondaryIndex(
                    i.GetProperty("IndexName").GetString()!,
                    KeySchema(i),
                    projection.TryGetProperty("ProjectionType", out var type) ? type.GetString()! : "ALL",
                    projection.TryGetProperty("NonKeyAttributes", out var attributes) ? [.. attributes.EnumerateArray().Select(a => a.GetString()!)] : []);
            })]
            : [];
}
