using System.Text.Json;

namespace Cloister.Tables.Operations;

/// <summary>One table's part of a BatchGetItem: its request members and keys as sent, and what reading them found.</summary>
internal sealed class BatchGetRead(string table, string tableName, JsonElement request, List<JsonElement> keys, List<Item> keyItems, ProjectionSpec projection, bool consistent)
{
    /// <summary>The table as RequestItems names it, a name or an ARN: Responses, UnprocessedKeys and ConsumedCapacity name it so.</summary>
    public string Table { get; } = table;

    /// <summary>The name of the table <see cref="Table"/> names.</summary>
    public string TableName { get; } = tableName;

    /// <summary>The table's entry of RequestItems, whose members other than Keys go back with any unprocessed keys.</summary>
    public JsonElement Request { get; } = request;

    /// <summary>The keys as sent, to hand back unchanged in UnprocessedKeys.</summary>
    public List<JsonElement> Keys { get; } = keys;

    public List<Item> KeyItems { get; } = keyItems;

    public ProjectionSpec Projection { get; } = projection;

    public bool Consistent { get; } = consistent;

    public List<Item> Found { get; } = [];

    public List<JsonElement> Unprocessed { get; } = [];

    /// <summary>Read units consumed: each key read as a GetItem of its own.</summary>
    public double Units { get; set; }
}
