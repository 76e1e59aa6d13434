namespace Cloister.Tables.Storage;

/// <summary>
/// One change to persist. <see cref="Item"/> (the item's JSON as stored) null with a key deletes the item; <see cref="Definition"/>
/// set stores a table definition; <see cref="DropTable"/> removes a table and all of its items. <see cref="Backup"/> set stores a
/// backup with a copy of the table's items as the journal holds them at that point (so exactly the items applied before it);
/// <see cref="DropBackup"/> with it removes the backup and its copy.
/// </summary>
internal sealed record JournalOperation(
    string Table, byte[]? PartitionKey, byte[]? SortKey, byte[]? Item, TableDefinition? Definition, bool DropTable, BackupRecord? Backup = null, bool DropBackup = false)
{
    public static JournalOperation PutItem(string table, StoredItem item) => new(table, item.PartitionKey, item.SortKey, item.Json, null, false);

    public static JournalOperation DeleteItem(string table, byte[] partitionKey, byte[] sortKey) => new(table, partitionKey, sortKey, null, null, false);

    public static JournalOperation PutTable(TableDefinition definition) => new(definition.Name, null, null, null, definition, false);

    public static JournalOperation Drop(string table) => new(table, null, null, null, null, true);

    public static JournalOperation CreateBackup(BackupRecord backup) => new(backup.Table.Name, null, null, null, null, false, backup);

    public static JournalOperation DeleteBackup(BackupRecord backup) => new(backup.Table.Name, null, null, null, null, false, backup, DropBackup: true);
}
