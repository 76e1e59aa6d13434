namespace Cloister.Tables.Storage;

/// <summary>
/// One change to persist. <see cref="Item"/> (the item's JSON as stored) null with a key deletes the item; <see cref="Definition"/>
/// set stores a table definition; <see cref="DropTable"/> removes a table and all of its items.
/// </summary>
internal sealed record JournalOperation(string Table, byte[]? PartitionKey, byte[]? SortKey, byte[]? Item, TableDefinition? Definition, bool DropTable)
{
    public static JournalOperation PutItem(string table, StoredItem item) => new(table, item.PartitionKey, item.SortKey, item.Json, null, false);

    public static JournalOperation DeleteItem(string table, byte[] partitionKey, byte[] sortKey) => new(table, partitionKey, sortKey, null, null, false);

    public static JournalOperation PutTable(TableDefinition definition) => new(definition.Name, null, null, null, definition, false);

    public static JournalOperation Drop(string table) => new(table, null, null, null, null, true);
}
