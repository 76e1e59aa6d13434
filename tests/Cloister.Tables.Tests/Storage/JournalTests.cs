using Cloister.Tables.Storage;
using Cloister.Tables.Values;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Tests.Storage;

public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TableDefinition Definition(string name) => new(
        name, Guid.NewGuid().ToString(), "PK", null, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("PK", "S"),
        "PAY_PER_REQUEST", 0, 0, [], null, false, false, DateTimeOffset.UnixEpoch);

    /// <summary>A store with table <paramref name="table"/>, into which 16 writers each put <paramref name="perWriter"/> items, waiting for each to be durable.</summary>
    private async Task<(TableStore Store, string Path)> PutConcurrentlyAsync(string table, int perWriter, Dictionary<string, AttributeValue>? extra = null)
    {
        var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var definition = Definition(table);
        lock (store.Gate)
        {
            store.AddTable(new TableData(definition));
            store.Append([JournalOperation.PutTable(definition)]);
        }

        var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < perWriter; n++)
            {
                long lsn;
                lock (store.Gate)
                {
                    var item = new Dictionary<string, AttributeValue>(extra ?? []) { ["PK"] = AttributeValue.FromString($"{writer}-{n}") };
                    var stored = StoredItemFactory.Create(definition, item, store.NextLsn);
                    store.GetTable(table).Put(stored.PartitionKey, stored.SortKey, stored);
                    lsn = store.Append([JournalOperation.PutItem(table, stored)]);
                }

                await store.WaitDurableAsync(lsn);
            }
        }));
        await Task.WhenAll(writers);
        return (store, store.Journal.Path);
    }

    private async Task<int> CountAfterReopenAsync(string table)
    {
        var reopened = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var count = reopened.GetTable(table).Count;
        await reopened.DisposeAsync();
        return count;
    }

    [Fact]
    public async Task Append_ConcurrentWriters_ShareCommitsAndSurviveReopen()
    {
        var (store, _) = await PutConcurrentlyAsync("t1", 50);
        var commits = store.Journal.Commits;
        var batches = store.Journal.BatchesCommitted;
        await store.DisposeAsync();

        Assert.Equal(801, batches);
        Assert.True(commits < batches, $"{commits} commits for {batches} batches: no group commit");
        Assert.Equal(800, await CountAfterReopenAsync("t1"));
    }

    [Fact]
    public async Task Append_FarPastTheLogLimit_CheckpointsOffTheWriterKeepTheLogBoundedAndEverythingSurvives()
    {
        // 16 writers put 16,384 items of 3 KB: 48 MiB of items, several times that in log frames (SQLite writes whole
        // pages, and B-tree pages again in every commit). SQLite's own checkpoint is off; the background passes and
        // the writer's catch-up must copy the log and let SQLite start it over, or it grows to hold everything written
        // (254 MiB when the passes did nothing). The bound is a quarter of that, not the 8-14 MiB a quiet machine sees:
        // while a pass is preempted mid-copy no checkpoint can start the log over, and under a load average of 35 the
        // log reached 24 MiB that way; what this test tells apart is bounded from unbounded.
        var (store, path) = await PutConcurrentlyAsync("t3", 1024, new() { ["payload"] = AttributeValue.FromString(new string('x', 3000)) });
        var passes = store.Journal.CheckpointPasses;
        var log = new FileInfo(path + "-wal").Length;
        await store.DisposeAsync();
        var logAfterStop = File.Exists(path + "-wal");

        Assert.True(passes > 0, "no background checkpoint pass ran");
        Assert.True(log < 64L << 20, $"the log grew to {log >> 20} MiB: it was not started over often enough");
        Assert.False(logAfterStop, "a clean stop left the log behind (the writer's connection must close last)");
        Assert.Equal(16 * 1024, await CountAfterReopenAsync("t3"));
    }

    [Fact]
    public async Task Append_ManyCommits_BackgroundPassesSyncTheDatabaseFileThemselves()
    {
        // A PASSIVE pass that leaves frames behind writes the database file without an fsync; left there, the pages
        // waited for the writer's catch-up, whose fsync every durable request then waited for. Each pass that copied
        // frames syncs the file itself.
        var (store, _) = await PutConcurrentlyAsync("t4", 64, new() { ["payload"] = AttributeValue.FromString(new string('x', 1000)) });
        var passes = store.Journal.CheckpointPasses;
        var syncs = store.Journal.CheckpointSyncs;
        await store.DisposeAsync();

        Assert.True(passes > 0, "no background checkpoint pass ran");
        Assert.InRange(syncs, 1, passes);
        Assert.Equal(16 * 64, await CountAfterReopenAsync("t4"));
    }

    [Fact]
    public async Task DisposeAsync_RightAfterAppendsNotAwaited_WritesThemAndCloses()
    {
        // Regression: the writer thread signalled "stopped" before disposing its statements, so closing the
        // connection raced with them (and an exception on that thread ended the process).
        var definition = Definition("t2");
        for (var round = 0; round < 10; round++)
        {
            var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
            lock (store.Gate)
            {
                if (store.FindTable("t2") is null)
                {
                    store.AddTable(new TableData(definition));
                    store.Append([JournalOperation.PutTable(definition)]);
                }

                var item = new Dictionary<string, AttributeValue> { ["PK"] = AttributeValue.FromString($"r{round}") };
                var stored = StoredItemFactory.Create(definition, item, store.NextLsn);
                store.GetTable("t2").Put(stored.PartitionKey, stored.SortKey, stored);
                store.Append([JournalOperation.PutItem("t2", stored)]);
            }

            await store.DisposeAsync();
        }

        var reopened = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var count = reopened.GetTable("t2").Count;
        await reopened.DisposeAsync();

        Assert.Equal(10, count);
    }

    [Fact]
    public async Task SweepExpired_PastTtl_RemovesOnlyExpired()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var store = TableStore.Open(_directory, NullLogger.Instance, time, TimeSpan.Zero);
        var definition = Definition("ttl") with { TimeToLiveAttribute = "exp", TimeToLiveEnabled = true };
        lock (store.Gate)
        {
            var table = new TableData(definition);
            store.AddTable(table);
            foreach (var (key, expires) in new[] { ("old", 1_799_999_000L), ("new", 1_800_000_500L), ("ancient", 1_000L) })
            {
                var item = new Dictionary<string, AttributeValue> { ["PK"] = AttributeValue.FromString(key), ["exp"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(expires)) };
                var stored = StoredItemFactory.Create(definition, item, store.NextLsn);
                table.Put(stored.PartitionKey, stored.SortKey, stored);
            }
        }

        var removed = await store.SweepExpiredAsync();
        var remaining = store.GetTable("ttl").Items.Select(entry => entry.Item!.ReadItem()["PK"].S).Order().ToList();
        await store.DisposeAsync();

        Assert.Equal(1, removed);
        Assert.Equal(["ancient", "new"], remaining);
    }
}
