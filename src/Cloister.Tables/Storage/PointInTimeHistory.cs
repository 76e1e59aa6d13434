using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cloister.Tables.Storage.SqliteStatements;

namespace Cloister.Tables.Storage;

/// <summary>
/// The change history point-in-time recovery restores from, kept by the journal's writer in the journal's database
/// (<c>pitr_history</c>) for the tables that have point-in-time recovery enabled. Enabling it copies the table's rows as they
/// stand at that point of the journal (a snapshot, stamped with the time it was enabled); every later put or delete of the table
/// adds the item's new image (null for a delete), in the same transaction as the change itself, so what is acknowledged is in the
/// history. Each row takes the next sequence number (the journal's order, across restarts) and the time of the commit that
/// carried it. The table's state at a time T is, for each key, the row with the highest sequence stamped at or before T.
/// Disabling point-in-time recovery or dropping the table deletes its history; rows older than the recovery period that a later
/// one supersedes (and deletes older than it) are pruned once an hour. A point-in-time restore's items are copied out of the
/// history (<c>restore_items</c>) in the commit that records its table CREATING, and dropped with the commit that makes it ACTIVE
/// or drops it: a restore stopped part-way is finished from that copy at the next start, even if its source table was deleted or
/// its recovery disabled meanwhile (which deletes the history). Used by the writer's thread alone.
/// </summary>
internal sealed class PointInTimeHistory : IDisposable
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS pitr_history(tbl TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB, PRIMARY KEY(tbl, seq, pk, sk)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS restore_items(tbl TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL, PRIMARY KEY(tbl, pk, sk)) WITHOUT ROWID;
        """;

    /// <summary>The newest row of each key of table $t stamped at or before $a: the table's state at that time, deletes included.</summary>
    private const string StateAtSql = """
        SELECT pk, sk, item FROM (
            SELECT pk, sk, item, ROW_NUMBER() OVER (PARTITION BY pk, sk ORDER BY seq DESC) AS n
            FROM pitr_history WHERE tbl = $t AND at <= $a)
        WHERE n = 1 AND item IS NOT NULL
        """;

    /// <summary>A table's rows as they stand, copied into its history at one sequence and time.</summary>
    private const string SnapshotSql = "INSERT INTO pitr_history(tbl, seq, at, pk, sk, item) SELECT $t, $q, $a, pk, sk, item FROM items WHERE tbl = $t";

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly Dictionary<string, TableDefinition> _tables = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly SqliteCommand _record;
    private readonly SqliteCommand _snapshot;
    private readonly SqliteCommand _drop;
    private readonly SqliteCommand _prune;
    private readonly SqliteCommand _hold;
    private readonly SqliteCommand _release;
    private long _sequence;
    private long _lastStamp;
    private long _commitStamp;
    private long _lastPrune;

    public PointInTimeHistory(SqliteConnection connection, TimeProvider time, IEnumerable<TableDefinition> tables)
    {
        _time = time;
        foreach (var table in tables.Where(table => table.PointInTimeRecoverySince is not null))
        {
            _tables[table.Name] = table;
        }

        using (var max = connection.CreateCommand())
        {
            max.CommandText = "SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(at), 0) FROM pitr_history";
            using var reader = max.ExecuteReader();
            reader.Read();
            _sequence = reader.GetInt64(0);
            _lastStamp = reader.GetInt64(1);
        }

        _record = Prepare(connection, "INSERT INTO pitr_history(tbl, seq, at, pk, sk, item) VALUES($t, $q, $a, $p, $s, $i)", "$t", "$q", "$a", "$p", "$s", "$i");
        _snapshot = Prepare(connection, SnapshotSql, "$t", "$q", "$a");
        _drop = Prepare(connection, "DELETE FROM pitr_history WHERE tbl = $t", "$t");

        // OR IGNORE: holding again (the definition stored again) keeps the copy, even once the source's history is gone.
        _hold = Prepare(connection, "INSERT OR IGNORE INTO restore_items(tbl, pk, sk, item) SELECT $r, pk, sk, item FROM (" + StateAtSql + ")", "$r", "$t", "$a");
        _release = Prepare(connection, "DELETE FROM restore_items WHERE tbl = $r", "$r");

        // A row stamped before the cutoff goes when a later row of its key also precedes the cutoff, or when it is the last one
        // there and a delete: the state at any time from the cutoff on is the same without it.
        _prune = Prepare(connection, """
            DELETE FROM pitr_history WHERE tbl = $t AND at < $c AND (seq, pk, sk) IN (
                SELECT seq, pk, sk FROM (
                    SELECT seq, pk, sk, item IS NULL AS gone, ROW_NUMBER() OVER (PARTITION BY pk, sk ORDER BY seq DESC) AS n
                    FROM pitr_history WHERE tbl = $t AND at < $c)
                WHERE n > 1 OR gone)
            """, "$t", "$c");
    }

    /// <summary>Whether the journal's database has the history's table (a journal written before it was kept has not).</summary>
    public static bool Exists(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'pitr_history'";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// For a journal written before the history was kept: each table with point-in-time recovery enabled has no history to
    /// restore from, so its history starts now (a snapshot of its rows) and its window with it, stored in the catalog, rather
    /// than the window claiming times whose items the history cannot give back (a restore would come back empty).
    /// Call once the schema is made, before the writer starts; <paramref name="tables"/> is updated in place.
    /// </summary>
    public static void StartAnew(SqliteConnection connection, TimeProvider time, List<TableDefinition> tables)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        using var transaction = connection.BeginTransaction();
        using var putTable = Prepare(connection, Journal.PutTableSql, "$t", "$d");
        using var snapshot = Prepare(connection, SnapshotSql, "$t", "$q", "$a");
        putTable.Transaction = transaction;
        snapshot.Transaction = transaction;
        var sequence = 0L;
        for (var i = 0; i < tables.Count; i++)
        {
            if (tables[i].PointInTimeRecoverySince is null)
            {
                continue;
            }

            tables[i] = tables[i] with { PointInTimeRecoverySince = now };
            Run(putTable, tables[i].Name, JsonSerializer.SerializeToUtf8Bytes(tables[i], CatalogJsonContext.Default.TableDefinition));
            Run(snapshot, tables[i].Name, ++sequence, now.ToUnixTimeMilliseconds());
        }

        transaction.Commit();
    }

    /// <summary>The rows of a table's state at <paramref name="at"/> (its items' stored JSON), read on <paramref name="connection"/>.</summary>
    public static List<byte[]> ReadAt(SqliteConnection connection, string table, DateTimeOffset at)
    {
        using var command = connection.CreateCommand();
        command.CommandText = StateAtSql;
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$a", at.ToUnixTimeMilliseconds());
        return ReadItems(command, column: 2);
    }

    /// <summary>The items held for the point-in-time restore of table <paramref name="restored"/> (its stored JSON), read on <paramref name="connection"/>.</summary>
    public static List<byte[]> ReadHeld(SqliteConnection connection, string restored)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT item FROM restore_items WHERE tbl = $r";
        command.Parameters.AddWithValue("$r", restored);
        return ReadItems(command, column: 0);
    }

    /// <summary>Starts a commit: its rows take one time, read when the first needs it.</summary>
    public void BeginCommit() => _commitStamp = 0;

    /// <summary>Records a put (<paramref name="item"/> set) or delete of a table's item, if the table keeps a history.</summary>
    public void Record(string table, byte[] partitionKey, byte[] sortKey, byte[]? item)
    {
        if (_tables.Count == 0 || !_tables.ContainsKey(table))
        {
            return;
        }

        Run(_record, table, ++_sequence, Stamp(), partitionKey, sortKey, item ?? (object)DBNull.Value);
    }

    /// <summary>
    /// A table's definition was stored: point-in-time recovery enabled starts its history, disabled drops it; a point-in-time
    /// restore's table stored CREATING has its items copied out of its source's history, and stored ACTIVE has that copy dropped.
    /// </summary>
    public void Defined(TableDefinition definition)
    {
        if (definition.RestoredFrom is { ItemsHeld: true } restore)
        {
            if (!restore.InProgress)
            {
                Run(_release, definition.Name);
            }
            else if (SourceName(restore.SourceTableArn) is { } source)
            {
                Run(_hold, definition.Name, source, restore.RestoreDateTime.ToUnixTimeMilliseconds());
            }
        }

        var keeping = _tables.ContainsKey(definition.Name);
        if (definition.PointInTimeRecoverySince is not { } since)
        {
            if (keeping)
            {
                Dropped(definition.Name);
            }

            return;
        }

        _tables[definition.Name] = definition;
        if (!keeping)
        {
            // The snapshot is the state at the time recovery was enabled; later changes are stamped no earlier.
            var at = since.ToUnixTimeMilliseconds();
            _lastStamp = Math.Max(_lastStamp, at);
            Run(_snapshot, definition.Name, ++_sequence, at);
        }
    }

    /// <summary>A table was dropped: its history goes, and the copy held for it if it was a restore still in progress.</summary>
    public void TableDropped(string table)
    {
        Dropped(table);
        Run(_release, table);
    }

    /// <summary>A table was dropped, or its recovery disabled: its history goes.</summary>
    public void Dropped(string table)
    {
        if (_tables.Remove(table))
        {
            Run(_drop, table);
        }
    }

    /// <summary>Once an hour, within a commit, prunes what every table's recovery period no longer reaches.</summary>
    public void PruneIfDue()
    {
        if (_tables.Count == 0)
        {
            return;
        }

        var now = Stamp();
        if (now - _lastPrune < (long)PruneEvery.TotalMilliseconds)
        {
            return;
        }

        _lastPrune = now;
        foreach (var table in _tables.Values)
        {
            Run(_prune, table.Name, now - (long)TimeSpan.FromDays(table.RecoveryPeriodInDays).TotalMilliseconds);
        }
    }

    public void Dispose()
    {
        _record.Dispose();
        _snapshot.Dispose();
        _drop.Dispose();
        _prune.Dispose();
        _hold.Dispose();
        _release.Dispose();
    }

    /// <summary>The table a table ARN names (<c>...:table/{name}</c>; a table name holds no slash).</summary>
    private static string? SourceName(string tableArn)
    {
        var at = tableArn.IndexOf(":table/", StringComparison.Ordinal);
        return at < 0 ? null : tableArn[(at + ":table/".Length)..];
    }

    private static List<byte[]> ReadItems(SqliteCommand command, int column)
    {
        using var reader = command.ExecuteReader();
        var items = new List<byte[]>();
        while (reader.Read())
        {
            items.Add((byte[])reader[column]);
        }

        return items;
    }

    /// <summary>The commit's time in milliseconds, never before an earlier commit's (so a table's rows are in time order too).</summary>
    private long Stamp()
    {
        if (_commitStamp == 0)
        {
            _commitStamp = _lastStamp = Math.Max(_lastStamp, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        return _commitStamp;
    }
}
