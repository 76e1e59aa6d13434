using System.Diagnostics;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Cloister.Tables.Storage;

/// <summary>
/// The durable half of the store: a SQLite database in WAL mode with <c>synchronous=FULL</c>,
/// written by one dedicated writer thread. Requests append batches in the order the store applied
/// them; the writer takes every batch waiting, commits them in one transaction (one fsync), then
/// releases everyone whose batch it carried. That is group commit: concurrent writers share an
/// fsync. The writer is a thread of its own, not a thread-pool thread, because it blocks in fsync
/// and on two cores a blocked pool thread is half of the request-serving capacity.
/// </summary>
internal sealed class Journal : IAsyncDisposable
{
    /// <summary>Stores a table's definition in the catalog ($t its name, $d its JSON).</summary>
    public const string PutTableSql = "INSERT OR REPLACE INTO catalog(name, definition) VALUES($t, $d)";

    private readonly SqliteConnection _connection;
    private readonly object _queueLock = new();
    private readonly ILogger _logger;
    private readonly Thread _writer;
    private readonly Checkpointer _checkpointer;
    private readonly SafeFileHandle _databaseFile;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly List<TableDefinition> _tablesAtOpen;
    private List<JournalBatch> _queue = [];
    private bool _closed;
    private int _queued;
    private TaskCompletionSource _nextFlush = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastLsn;
    private long _durableLsn;
    private Exception? _failure;
    private long _commits;
    private long _batchesCommitted;
    private long _commitTicks;

    private Journal(SqliteConnection connection, SafeFileHandle databaseFile, string path, long lastLsn, TimeProvider time, List<TableDefinition> tables, ILogger logger)
    {
        _connection = connection;
        _time = time;
        _tablesAtOpen = tables;
        Path = path;
        _databaseFile = databaseFile;
        _checkpointer = new Checkpointer(path, _databaseFile, logger);
        _lastLsn = lastLsn;
        _durableLsn = lastLsn;
        _logger = logger;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Cloister.Tables journal" };
        _writer.Start();
    }

    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>Transactions committed so far (each one fsync); with <see cref="BatchesCommitted"/> it shows how well commits are shared.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>Requests' batches committed so far.</summary>
    public long BatchesCommitted => Volatile.Read(ref _batchesCommitted);

    /// <summary>Time spent in SQLite transactions (writing rows, commit and fsync), summed over <see cref="Commits"/>.</summary>
    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _commitTicks));

    /// <summary>Background checkpoint passes so far (<see cref="Checkpointer"/>).</summary>
    public long CheckpointPasses => _checkpointer.Passes;

    /// <summary>Fsyncs of the database file after background passes (<see cref="Checkpointer"/>).</summary>
    public long CheckpointSyncs => _checkpointer.DatabaseSyncs;

    public string Path { get; }

    public static Journal Open(
        string path, ILogger logger, TimeProvider time, out List<TableDefinition> tables, out List<(string Table, byte[] Item)> items, out List<BackupRecord> backups)
    {
        var databaseFile = StoreLock.Take(path, FileMode.OpenOrCreate);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return Open(connection, databaseFile, path, logger, time, out tables, out items, out backups);
        }
        catch
        {
            // The connection and the lock go with a store that could not be opened (a file that is no database, a schema
            // it cannot read): no descriptor of it is left in the process, and the next attempt (a fixed file) is not refused.
            connection.Dispose();
            databaseFile.Dispose();
            throw;
        }
    }

    private static Journal Open(
        SqliteConnection connection, SafeFileHandle databaseFile, string path, ILogger logger, TimeProvider time, out List<TableDefinition> tables,
        out List<(string Table, byte[] Item)> items, out List<BackupRecord> backups)
    {
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "PRAGMA synchronous=FULL;");
        // Checkpoints run on a thread of their own, not inside the commit that fills the log (Checkpointer).
        Execute(connection, "PRAGMA wal_autocheckpoint=0;");
        // SQLite's default page cache (2 MiB), on purpose. A larger one saves the writer the pread of a leaf page
        // that an insert at a random key (a UUID) needs, but costs more than it saves: a commit after a page split
        // walks the whole cache, because balance_nonroot parks a page at the lock-byte page number (1 GiB / page
        // size) and the commit's truncate to the database's size then visits every hash bucket. With 64 MiB that
        // walk took ~300 µs in most commits of claim creation (docs/PERFORMANCE.md, Tables round 8).
        Execute(connection, "PRAGMA cache_size=-2000;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS catalog(name TEXT PRIMARY KEY, definition BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS items(tbl TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL, PRIMARY KEY(tbl, pk, sk)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS backups(arn TEXT PRIMARY KEY, backup BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS backup_items(arn TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL, PRIMARY KEY(arn, pk, sk)) WITHOUT ROWID;
            """);
        var historyExisted = PointInTimeHistory.Exists(connection);
        Execute(connection, PointInTimeHistory.Schema);

        tables = [];
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT definition FROM catalog";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(JsonSerializer.Deserialize((byte[])reader[0], CatalogJsonContext.Default.TableDefinition)!);
            }
        }

        // A restore's table is written in several commits after it is answered CREATING; one still CREATING here was stopped
        // part-way, by a crash or a stop. Its items so far are dropped and the table is kept CREATING: the service writes it again
        // from its source (DynamoDbService.ResumeRestores), since the restore was acknowledged.
        foreach (var unfinished in tables.Where(table => table.RestoredFrom is { InProgress: true }))
        {
            using var drop = connection.CreateCommand();
            drop.CommandText = "DELETE FROM items WHERE tbl = $t";
            drop.Parameters.AddWithValue("$t", unfinished.Name);
            drop.ExecuteNonQuery();
            Log.UnfinishedRestoreResumed(logger, unfinished.Name);
        }

        if (!historyExisted)
        {
            PointInTimeHistory.StartAnew(connection, time, tables);
        }

        items = [];
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT tbl, item FROM items";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items.Add((reader.GetString(0), (byte[])reader[1]));
            }
        }

        backups = [];
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT backup FROM backups";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                backups.Add(JsonSerializer.Deserialize((byte[])reader[0], CatalogJsonContext.Default.BackupRecord)!);
            }
        }

        return new Journal(connection, databaseFile, path, 0, time, tables, logger);
    }

    /// <summary>
    /// The items a backup holds, as their stored JSON, read on a connection of the caller's own (the writer's is its thread's
    /// alone). Call once the backup's CreateBackup is durable (<see cref="BackupRecord.Lsn"/>); its rows never change after.
    /// </summary>
    public List<byte[]> ReadBackupItems(string arn)
    {
        using var connection = OpenReadOnly();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT item FROM backup_items WHERE arn = $a";
        command.Parameters.AddWithValue("$a", arn);
        using var reader = command.ExecuteReader();
        var items = new List<byte[]>();
        while (reader.Read())
        {
            items.Add((byte[])reader[0]);
        }

        return items;
    }

    /// <summary>
    /// The items a table with point-in-time recovery held at <paramref name="at"/>, from its history (<see cref="PointInTimeHistory"/>),
    /// read on a connection of the caller's own. Call once every change made before the restore was asked for is durable.
    /// </summary>
    public List<byte[]> ReadItemsAt(string table, DateTimeOffset at)
    {
        using var connection = OpenReadOnly();
        return PointInTimeHistory.ReadAt(connection, table, at);
    }

    /// <summary>The items held for an unfinished point-in-time restore of <paramref name="restored"/> (<see cref="RestoreSummary.ItemsHeld"/>), read on a connection of the caller's own.</summary>
    public List<byte[]> ReadHeldRestoreItems(string restored)
    {
        using var connection = OpenReadOnly();
        return PointInTimeHistory.ReadHeld(connection, restored);
    }

    /// <summary>Queues a batch; call in the order the changes were applied (under the store's lock).</summary>
    public long Append(IReadOnlyList<JournalOperation> operations)
    {
        lock (_queueLock)
        {
            if (_failure is not null || _closed)
            {
                throw new DynamoDbException();
            }

            var lsn = ++_lastLsn;
            _queue.Add(new JournalBatch(lsn, operations));
            Volatile.Write(ref _queued, _queue.Count);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_queueLock);
            }

            return lsn;
        }
    }

    /// <summary>Completes when everything up to <paramref name="lsn"/> is on disk.</summary>
    public async ValueTask WaitDurableAsync(long lsn)
    {
        while (true)
        {
            var flush = Volatile.Read(ref _nextFlush);
            if (Volatile.Read(ref _durableLsn) >= lsn)
            {
                return;
            }

            if (_failure is not null)
            {
                throw new DynamoDbException();
            }

            await flush.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_queueLock)
        {
            _closed = true;
            Monitor.Pulse(_queueLock);
        }

        try
        {
            await _stopped.Task.ConfigureAwait(false);
        }
        finally
        {
            // The writer's connection closes last: SQLite then copies what is left and removes the log. The checkpoint
            // descriptor after it: closing it while a connection is open would drop that connection's POSIX locks.
            _checkpointer.Dispose();
            await _connection.DisposeAsync().ConfigureAwait(false);
            _databaseFile.Dispose();
        }
    }

    private SqliteConnection OpenReadOnly()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void WriteLoop()
    {
        try
        {
            var shortSlice = WriterScheduling.RequestShortSlice();
            Log.WriterSlice(_logger, shortSlice);
            WriteBatches();
        }
#pragma warning disable CA1031 // On its own thread an escaping exception would end the process; it stops acknowledgements instead.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fail(exception);
        }
        finally
        {
            // Only now are the writer's statements disposed, so the connection can be closed.
            _stopped.TrySetResult();
        }
    }

    private void Fail(Exception exception)
    {
        Log.JournalFailed(_logger, exception);
        lock (_queueLock)
        {
            _failure ??= exception;
            _closed = true;
        }

        Volatile.Read(ref _nextFlush).TrySetException(exception);
    }

    private void WriteBatches()
    {
        using var putItem = Prepare("INSERT OR REPLACE INTO items(tbl, pk, sk, item) VALUES($t, $p, $s, $i)", "$t", "$p", "$s", "$i");
        using var deleteItem = Prepare("DELETE FROM items WHERE tbl = $t AND pk = $p AND sk = $s", "$t", "$p", "$s");
        using var putTable = Prepare(PutTableSql, "$t", "$d");
        using var dropTable = Prepare("DELETE FROM catalog WHERE name = $t; DELETE FROM items WHERE tbl = $t", "$t");

        // A backup copies the table's rows as this transaction has them when it reaches the backup: every change applied
        // before the CreateBackup and none after, since the journal writes changes in the order the store applied them.
        using var putBackup = Prepare("INSERT INTO backups(arn, backup) VALUES($a, $b)", "$a", "$b");
        using var copyItems = Prepare("INSERT INTO backup_items(arn, pk, sk, item) SELECT $a, pk, sk, item FROM items WHERE tbl = $t", "$a", "$t");
        using var dropBackup = Prepare("DELETE FROM backup_items WHERE arn = $a; DELETE FROM backups WHERE arn = $a", "$a");

        // Point-in-time recovery's history is written in the same transaction as the changes it records.
        using var history = new PointInTimeHistory(_connection, _time, _tablesAtOpen);

        // The transaction is driven by prepared statements rather than BeginTransaction/Commit, which parse
        // "BEGIN" and "COMMIT" anew (and allocate a command) for every group commit on this critical path.
        using var begin = Prepare("BEGIN");
        using var commit = Prepare("COMMIT");
        using var rollback = Prepare("ROLLBACK");
        var batches = new List<JournalBatch>();
        while (true)
        {
            // Spin briefly before sleeping: under load the next request is usually microseconds away,
            // and waking a sleeping thread costs more than the spin.
            var spin = new SpinWait();
            while (Volatile.Read(ref _queued) == 0 && !spin.NextSpinWillYield)
            {
                spin.SpinOnce();
            }

            lock (_queueLock)
            {
                while (_queue.Count == 0 && !_closed)
                {
                    Monitor.Wait(_queueLock);
                }

                Volatile.Write(ref _queued, 0);

                if (_queue.Count == 0)
                {
                    break;
                }

                // Take everything waiting: this commit carries every request that arrived while the last one was on disk.
                (batches, _queue) = (_queue, batches);
            }

            try
            {
                var operations = 0;
                var started = Stopwatch.GetTimestamp();
                begin.ExecuteNonQuery();
                history.BeginCommit();
                try
                {
                    foreach (var batch in batches)
                    {
                        foreach (var operation in batch.Operations)
                        {
                            operations++;
                            Write(operation);
                        }
                    }

                    history.PruneIfDue();
                    commit.ExecuteNonQuery();
                }
                catch
                {
                    // Nothing of this transaction was acknowledged; the failure stops the journal below.
                    if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                    {
                        rollback.ExecuteNonQuery();
                    }

                    throw;
                }

                Log.GroupCommitted(_logger, batches.Count, operations);
                Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _batchesCommitted, batches.Count);
                Volatile.Write(ref _durableLsn, batches[^1].Lsn);
                Interlocked.Exchange(ref _nextFlush, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
                batches.Clear();
                _checkpointer.Committed();
            }
#pragma warning disable CA1031 // Any failure to persist must stop acknowledgements and wake every waiter with the error.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Fail(exception);
                return;
            }

            _checkpointer.CatchUpIfAsked(_connection);
        }

        void Write(JournalOperation operation)
        {
            if (operation.Backup is { } backup)
            {
                if (operation.DropBackup)
                {
                    Run(dropBackup, backup.Arn);
                }
                else
                {
                    Run(putBackup, backup.Arn, JsonSerializer.SerializeToUtf8Bytes(backup, CatalogJsonContext.Default.BackupRecord));
                    Run(copyItems, backup.Arn, backup.Table.Name);
                }
            }
            else if (operation.DropTable)
            {
                Run(dropTable, operation.Table);
                history.TableDropped(operation.Table);
            }
            else if (operation.Definition is not null)
            {
                Run(putTable, operation.Table, JsonSerializer.SerializeToUtf8Bytes(operation.Definition, CatalogJsonContext.Default.TableDefinition));
                history.Defined(operation.Definition);
            }
            else if (operation.Item is null)
            {
                Run(deleteItem, operation.Table, operation.PartitionKey!, operation.SortKey!);
                history.Record(operation.Table, operation.PartitionKey!, operation.SortKey!, null);
            }
            else
            {
                Run(putItem, operation.Table, operation.PartitionKey!, operation.SortKey!, operation.Item);
                history.Record(operation.Table, operation.PartitionKey!, operation.SortKey!, operation.Item);
            }
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters) => SqliteStatements.Prepare(_connection, sql, parameters);

    private static void Run(SqliteCommand command, params object[] values) => SqliteStatements.Run(command, values);
}
