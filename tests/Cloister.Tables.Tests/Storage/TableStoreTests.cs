using System.Collections.Immutable;
using System.Text;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;
using Cloister.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Tests.Storage;

public sealed class TableStoreTests : IDisposable
{
    private static readonly TableDefinition Table = new(
        "replayed", Guid.NewGuid().ToString(), "PK", null, ImmutableDictionary<string, string>.Empty.Add("PK", "S"),
        "PAY_PER_REQUEST", 0, 0, [], null, false, false, DateTimeOffset.UnixEpoch);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Rows the service cannot serve as items: a key of the wrong type (from before UpdateTable kept key types), no key at all. An item nested deeper than DynamoDB's limit is served: it was accepted when written.</summary>
    public static TheoryData<string> UnservableRows => new()
    {
        """{"PK":{"N":"5"}}""",
        """{"other":{"S":"x"}}""",
    };

    [Theory]
    [MemberData(nameof(UnservableRows))]
    public async Task Open_JournalRowItCannotServe_SkipsThatItemAndServesTheRest(string json)
    {
        var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        long lsn;
        lock (store.Gate)
        {
            store.AddTable(new TableData(Table));
            var good = StoredItemFactory.Create(Table, new Dictionary<string, AttributeValue> { ["PK"] = AttributeValue.FromString("good") }, store.NextLsn);
            store.GetTable(Table.Name).Put(good.PartitionKey, good.SortKey, good);
            lsn = store.Append([JournalOperation.PutTable(Table), JournalOperation.PutItem(Table.Name, good)]);
        }

        await store.WaitDurableAsync(lsn);
        await store.DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, TableStore.FileName)};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO items(tbl, pk, sk, item) VALUES($t, $p, x'', $i)";
            command.Parameters.AddWithValue("$t", Table.Name);
            command.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes("bad"));
            command.Parameters.AddWithValue("$i", Encoding.UTF8.GetBytes(json));
            command.ExecuteNonQuery();
        }

        var reopened = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var keys = reopened.GetTable(Table.Name).Items.Select(entry => entry.Item!.ReadItem()["PK"].S).ToList();
        await reopened.DisposeAsync();

        Assert.Equal(["good"], keys);
    }

    [Fact]
    public async Task Open_FileThatIsNoDatabase_ThrowsAndKeepsNoDescriptorOfIt()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, TableStore.FileName);
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)'x', 8192).ToArray());

        var refused = Record.Exception(() => TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero));

        Assert.Contains("not a database", Assert.IsType<SqliteException>(refused).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(path, OpenFiles.OfThisProcess());
        File.Delete(path);
        var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        await store.DisposeAsync();
    }

    /// <summary>
    /// The time-to-live sweep runs under the store's lock, but the store fills its tables at open without it, so the
    /// sweep must not start before the tables are filled. It did (the constructor started it): a sweep due during a
    /// long load walked a table's items while the load added to them, threw "Collection was modified", and so ended
    /// the sweeps for good (expired items stayed) and made the store's dispose throw before it closed the journal.
    /// </summary>
    [Fact]
    public async Task Open_SweepDueWhileTablesLoad_SweepsOnceLoadedAndDisposesCleanly()
    {
        const int Items = 50_000;
        var definition = Table with { TimeToLiveAttribute = "ttl", TimeToLiveEnabled = true };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        long lsn;
        lock (store.Gate)
        {
            store.AddTable(new TableData(definition));
            var operations = new List<JournalOperation> { JournalOperation.PutTable(definition) };
            for (var i = 0; i < Items; i++)
            {
                // Every other item expired a minute ago; the rest expire tomorrow.
                var ttl = i % 2 == 0 ? now - 60 : now + 86_400;
                var item = StoredItemFactory.Create(definition, new Dictionary<string, AttributeValue>
                {
                    ["PK"] = AttributeValue.FromString($"item-{i}"),
                    ["ttl"] = AttributeValue.FromNumber(DynamoNumber.FromInt64(ttl)),
                }, store.NextLsn);
                operations.Add(JournalOperation.PutItem(definition.Name, item));
            }

            lsn = store.Append(operations);
        }

        await store.WaitDurableAsync(lsn);
        await store.DisposeAsync();

        // A sweep every millisecond is due many times over while the items load. The load runs on a thread of its own,
        // so the thread pool has a thread free for the sweep (at a service's start the load is not on the pool either).
        var reopened = await Task.Factory.StartNew(
            () => TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.FromMilliseconds(1)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        int Count()
        {
            lock (reopened.Gate)
            {
                return reopened.GetTable(definition.Name).Count;
            }
        }

        while (Count() != Items / 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var left = Count();
        var disposing = await Record.ExceptionAsync(async () => await reopened.DisposeAsync());

        Assert.Equal(Items / 2, left);
        Assert.Null(disposing);
    }

    /// <summary>
    /// A sweep loop that failed (here its clock throws) made the store's dispose rethrow that failure before it closed
    /// the journal: the database's connection, the writer thread and the file lock stayed for the life of the process.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_SweepLoopFailed_ClosesTheJournalAndRethrows()
    {
        var clock = new FailingClock();
        var store = TableStore.Open(_directory, NullLogger.Instance, clock, TimeSpan.FromMilliseconds(1));
        var path = Path.Combine(_directory, TableStore.FileName);
        Assert.Contains(path, OpenFiles.OfThisProcess());
        clock.Failing = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (clock.Failures == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var disposing = await Record.ExceptionAsync(async () => await store.DisposeAsync());

        Assert.IsType<TimeoutException>(disposing);
        Assert.DoesNotContain(path, OpenFiles.OfThisProcess());
    }

    /// <summary>The system's clock until <see cref="Failing"/> is set; then reading it throws, as a failing sweep would.</summary>
    private sealed class FailingClock : TimeProvider
    {
        private int _failures;

        public bool Failing { get; set; }

        public int Failures => Volatile.Read(ref _failures);

        public override DateTimeOffset GetUtcNow()
        {
            if (Failing)
            {
                Interlocked.Increment(ref _failures);
                throw new TimeoutException("the clock cannot be read");
            }

            return System.GetUtcNow();
        }
    }
}
