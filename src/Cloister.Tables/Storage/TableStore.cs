using Cloister.Tables.Protocol;
using Cloister.Tables.Values;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Storage;

/// <summary>
/// Every table, in memory for reads and ordered scans, journalled to SQLite for durability.
/// Changes are applied under one lock in a total order and appended to the journal in that same
/// order; a request is answered only once its journal position is durable, and a read waits for
/// the positions of the items it returns, and when it finds none, of the delete that removed them
/// (<see cref="TableData.AbsenceLsn(byte[], byte[])"/>), so nobody observes a change that a crash could undo.
/// </summary>
internal sealed class TableStore : IAsyncDisposable
{
    public const string FileName = "tables.db";

    /// <summary>
    /// The most items of a restore one commit carries: 40,000 items in one commit held every other table's writes for
    /// 0.5–0.85 s; a thousand take a few milliseconds.
    /// </summary>
    public const int RestoreCommitItems = 1_000;

    /// <summary>The most bytes of items a restore's commit carries (large items reach it before <see cref="RestoreCommitItems"/>).</summary>
    public const long RestoreCommitBytes = 4 * 1024 * 1024;

    /// <summary>DynamoDB ignores time-to-live values more than five years in the past.</summary>
    private const long IgnoredAfterSeconds = 5L * 365 * 24 * 3600;

    private readonly Dictionary<string, TableData> _tables = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(long Millis, string Arn), BackupRecord> _backups = new(Comparer<(long Millis, string Arn)>.Create(Compare));
    private readonly Journal _journal;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweeper = Task.CompletedTask;
    private long _lsn;
    private long _lastTableChangeLsn;

    private TableStore(Journal journal, ILogger logger, TimeProvider time)
    {
        _journal = journal;
        _logger = logger;
        _time = time;
    }

    /// <summary>The lock every read and change of table state holds.</summary>
    public Lock Gate { get; } = new();

    public TimeProvider Time => _time;

    public Journal Journal => _journal;

    public static TableStore Open(string directory, ILogger logger, TimeProvider time, TimeSpan sweepInterval)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var journal = Journal.Open(path, logger, time, out var definitions, out var rows, out var backups);
        var store = new TableStore(journal, logger, time);
        foreach (var backup in backups)
        {
            store._backups[BackupRecord.Position(backup.Arn)] = backup;
        }

        foreach (var definition in definitions)
        {
            store._tables[definition.Name] = new TableData(definition);
        }

        foreach (var (table, bytes) in rows)
        {
            if (!store._tables.TryGetValue(table, out var data))
            {
                continue;
            }

            StoredItem stored;
            try
            {
                stored = StoredItemFactory.FromJournal(data.Definition, bytes);
            }
            catch (Exception exception) when (exception is DynamoDbException or System.Text.Json.JsonException)
            {
                // A row written before its kind was refused (a key retyped by UpdateTable): the rest
                // of the data is served rather than none of it, and the row stays in the file for whoever repairs it.
                Log.ItemLeftOut(logger, table, exception);
                continue;
            }

            data.Put(stored.PartitionKey, stored.SortKey, stored);
        }

        // The sweep starts only now: the tables above were filled without the lock it takes, and a sweep due during a
        // long load walked a table's items while they were being added.
        if (sweepInterval > TimeSpan.Zero)
        {
            store._sweeper = store.SweepLoopAsync(sweepInterval);
        }

        Log.StoreOpened(logger, path, store._tables.Count, rows.Count);
        return store;
    }

    /// <summary>The journal position the next change will take; call under <see cref="Gate"/>.</summary>
    public long NextLsn => _lsn + 1;

    public IEnumerable<TableData> Tables => _tables.Values;

    /// <summary>
    /// The table an item operation names: one that exists and is ACTIVE (a restore's table being written is not found, as
    /// DynamoDB answers for a table that is not ACTIVE).
    /// </summary>
    public TableData GetTable(string name) =>
        _tables.TryGetValue(name, out var table) && !table.IsRestoring ? table : throw DynamoDbException.TableNotFound();

    public TableData? FindTable(string name) => _tables.GetValueOrDefault(name);

    /// <summary>As <see cref="FindTable(string)"/>, by a name in a span (no string).</summary>
    public TableData? FindTable(ReadOnlySpan<char> name) =>
        _tables.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var table) ? table : null;

    public void AddTable(TableData table) => _tables.Add(table.Definition.Name, table);

    public void RemoveTable(string name) => _tables.Remove(name);

    /// <summary>Every backup, in ListBackups' order (<see cref="BackupRecord.Position(string)"/>); call under <see cref="Gate"/>.</summary>
    public IEnumerable<BackupRecord> Backups => Live(_backups.Values);

    /// <summary>The backups from <paramref name="position"/> on, exclusive, in ListBackups' order; call under <see cref="Gate"/>.</summary>
    public IEnumerable<BackupRecord> BackupsAfter((long Millis, string Arn) position) =>
        Live(_backups.Where(pair => Compare(pair.Key, position) > 0).Select(pair => pair.Value));

    /// <summary>A backup by its ARN, null when there is none or it has expired; call under <see cref="Gate"/>.</summary>
    public BackupRecord? FindBackup(string arn) =>
        _backups.GetValueOrDefault(BackupRecord.Position(arn)) is { } backup && !backup.ExpiredAt(_time.GetUtcNow()) ? backup : null;

    /// <summary>
    /// The backup a restore still CREATING reads from, expired or not (<see cref="DropExpiredBackupsAsync"/> keeps it for that
    /// restore); call under <see cref="Gate"/>.
    /// </summary>
    public BackupRecord? FindBackupOfRestore(string arn) => _backups.GetValueOrDefault(BackupRecord.Position(arn));

    /// <summary>Records a backup of a table as it is now and journals its copy; call under <see cref="Gate"/>, then await its <see cref="BackupRecord.Lsn"/>.</summary>
    public BackupRecord AddBackup(BackupRecord backup)
    {
        backup = backup with { Lsn = AppendTableChange([JournalOperation.CreateBackup(backup)]) };
        _backups.Add(BackupRecord.Position(backup.Arn), backup);
        return backup;
    }

    /// <summary>
    /// Drops a table as DeleteTable does, first keeping a backup of it when <paramref name="systemBackup"/> is given (the SYSTEM
    /// backup of a table with point-in-time recovery): both in one journal batch, so the copy holds the table's last items.
    /// Returns the position to await; call under <see cref="Gate"/>.
    /// </summary>
    public long DropTable(string name, BackupRecord? systemBackup)
    {
        RemoveTable(name);
        if (systemBackup is null)
        {
            return AppendTableChange(JournalOperation.Drop(name));
        }

        var lsn = AppendTableChange([JournalOperation.CreateBackup(systemBackup), JournalOperation.Drop(name)]);
        _backups.Add(BackupRecord.Position(systemBackup.Arn), systemBackup with { Lsn = lsn });
        return lsn;
    }

    /// <summary>Forgets a backup and journals the removal of its copy; returns the position to await. Call under <see cref="Gate"/>.</summary>
    public long RemoveBackup(BackupRecord backup)
    {
        _backups.Remove(BackupRecord.Position(backup.Arn));
        return AppendTableChange([JournalOperation.DeleteBackup(backup)]);
    }

    /// <summary>The items of a backup as stored, read from the journal's database once its CreateBackup is durable.</summary>
    public async Task<List<byte[]>> ReadBackupItemsAsync(BackupRecord backup)
    {
        await WaitDurableAsync(backup.Lsn).ConfigureAwait(false);
        return _journal.ReadBackupItems(backup.Arn);
    }

    /// <summary>The items held for an unfinished point-in-time restore (<see cref="RestoreSummary.ItemsHeld"/>); call for a table read back at start.</summary>
    public List<byte[]> ReadHeldRestoreItems(string restored) => _journal.ReadHeldRestoreItems(restored);

    /// <summary>
    /// The items a table with point-in-time recovery held at <paramref name="at"/>, read from its history once every change
    /// appended so far is durable (so none stamped at or before that time is missed).
    /// </summary>
    public async Task<List<byte[]>> ReadItemsAtAsync(string table, DateTimeOffset at)
    {
        long last;
        lock (Gate)
        {
            last = _lsn;
        }

        await WaitDurableAsync(last).ConfigureAwait(false);
        return _journal.ReadItemsAt(table, at);
    }

    /// <summary>
    /// For tests: awaited (with the table's name) after each durable commit of a restore's items, so a test can hold a restore
    /// part-way and see what others get meanwhile. Null outside tests.
    /// </summary>
    public Func<string, ValueTask>? RestoreCommitted { get; set; }

    /// <summary>
    /// Journals a restored table's items (already in its <see cref="TableData"/>, which is CREATING) in commits of at most
    /// <see cref="RestoreCommitItems"/> items or <see cref="RestoreCommitBytes"/> bytes, each awaited before the next is queued:
    /// a large restore then never fills one group commit, and every other table's writes are committed between its commits.
    /// </summary>
    public async Task WriteRestoredItemsAsync(string table, IReadOnlyList<StoredItem> items)
    {
        var next = 0;
        while (next < items.Count)
        {
            var operations = new List<JournalOperation>();
            long bytes = 0;
            while (next < items.Count && operations.Count < RestoreCommitItems && (operations.Count == 0 || bytes + items[next].Json.Length <= RestoreCommitBytes))
            {
                bytes += items[next].Json.Length;
                operations.Add(JournalOperation.PutItem(table, items[next++]));
            }

            long lsn;
            lock (Gate)
            {
                lsn = Append(operations);
            }

            await WaitDurableAsync(lsn).ConfigureAwait(false);
            if (RestoreCommitted is { } committed)
            {
                await committed(table).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records changes already applied in memory; call under <see cref="Gate"/>, then await <see cref="WaitDurableAsync"/>.</summary>
    public long Append(IReadOnlyList<JournalOperation> operations)
    {
        _lsn = _journal.Append(operations);
        return _lsn;
    }

    /// <summary>
    /// As <see cref="Append"/>, for a change of the table catalog (a table created, redefined or dropped): every answer that
    /// depends on table state waits for the last of these (<see cref="WaitTableChangesDurableAsync"/>). Call under <see cref="Gate"/>.
    /// </summary>
    public long AppendTableChange(JournalOperation operation) => AppendTableChange([operation]);

    /// <summary>As <see cref="AppendTableChange(JournalOperation)"/>, for a table change made of several operations (a restored table and its items).</summary>
    public long AppendTableChange(IReadOnlyList<JournalOperation> operations)
    {
        var lsn = Append(operations);
        Volatile.Write(ref _lastTableChangeLsn, lsn);
        return lsn;
    }

    /// <summary>Whether the last table change (<see cref="AppendTableChange(JournalOperation)"/>) is on disk; read without the lock.</summary>
    public bool TableChangesDurable => IsDurable(Volatile.Read(ref _lastTableChangeLsn));

    /// <summary>
    /// Completes when the last table change made so far is durable. An answer is written only after it: whether a table exists,
    /// its definition, time to live, resource policy (and what that policy allowed) are all table state a crash could undo.
    /// </summary>
    public ValueTask WaitTableChangesDurableAsync() => WaitDurableAsync(Volatile.Read(ref _lastTableChangeLsn));

    public ValueTask WaitDurableAsync(long lsn) => IsDurable(lsn) ? ValueTask.CompletedTask : _journal.WaitDurableAsync(lsn);

    /// <summary>Whether the change at <paramref name="lsn"/> is on disk already.</summary>
    public bool IsDurable(long lsn) => lsn <= _journal.DurableLsn;

    /// <summary>The journal position up to which every change is on disk.</summary>
    public long DurableLsn => _journal.DurableLsn;

    /// <summary>Deletes items whose time-to-live attribute lies in the past; returns how many went.</summary>
    public async Task<int> SweepExpiredAsync()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var total = 0;
        long lsn = 0;
        lock (Gate)
        {
            foreach (var table in _tables.Values)
            {
                var attribute = table.Definition.TimeToLiveEnabled ? table.Definition.TimeToLiveAttribute : null;
                if (attribute is null)
                {
                    continue;
                }

                var expired = table.Items
                    .Where(entry => entry.Item!.ReadAttribute(attribute) is { Kind: AttributeKind.N } value &&
                        value.N <= DynamoNumber.FromInt64(now) && value.N >= DynamoNumber.FromInt64(now - IgnoredAfterSeconds))
                    .Select(entry => entry.Item!)
                    .ToList();
                if (expired.Count == 0)
                {
                    continue;
                }

                foreach (var item in expired)
                {
                    table.Delete(item.PartitionKey, item.SortKey, NextLsn, DurableLsn);
                }

                lsn = Append(expired.Select(item => JournalOperation.DeleteItem(table.Definition.Name, item.PartitionKey, item.SortKey)).ToList());
                total += expired.Count;
                Log.Expired(_logger, expired.Count, table.Definition.Name);
            }
        }

        await WaitDurableAsync(lsn).ConfigureAwait(false);
        return total;
    }

    /// <summary>
    /// Stops the sweep loop, then closes the journal (its writer thread, connection and file lock) even when the loop had
    /// failed: that failure is rethrown only once the journal is closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sweeper.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await _journal.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Removes the backups that expired (SYSTEM backups 35 days on) and their copies; returns how many went. A backup a restore
    /// still CREATING reads from is kept until that restore is done (an acknowledged restore is finished, even across a restart),
    /// though no request sees it once expired.
    /// </summary>
    public async Task<int> DropExpiredBackupsAsync()
    {
        var now = _time.GetUtcNow();
        long lsn = 0;
        List<BackupRecord> expired;
        lock (Gate)
        {
            var reading = _tables.Values.Where(table => table.IsRestoring).Select(table => table.Definition.RestoredFrom!.SourceBackupArn).ToHashSet(StringComparer.Ordinal);
            expired = [.. _backups.Values.Where(backup => backup.ExpiredAt(now) && !reading.Contains(backup.Arn))];
            foreach (var backup in expired)
            {
                lsn = RemoveBackup(backup);
            }
        }

        await WaitDurableAsync(lsn).ConfigureAwait(false);
        return expired.Count;
    }

    private IEnumerable<BackupRecord> Live(IEnumerable<BackupRecord> backups)
    {
        var now = _time.GetUtcNow();
        return backups.Where(backup => !backup.ExpiredAt(now));
    }

    private static int Compare((long Millis, string Arn) left, (long Millis, string Arn) right)
    {
        var byTime = left.Millis.CompareTo(right.Millis);
        return byTime != 0 ? byTime : string.CompareOrdinal(left.Arn, right.Arn);
    }

    private async Task SweepLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            await SweepExpiredAsync().ConfigureAwait(false);
            await DropExpiredBackupsAsync().ConfigureAwait(false);
        }
    }
}
