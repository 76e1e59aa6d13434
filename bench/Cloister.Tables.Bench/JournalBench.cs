using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Bench;

/// <summary>
/// The journal alone, as claim creation drives it: a table keyed by random UUIDs (so each insert lands on a random
/// B-tree leaf) prefilled with <c>prefill</c> claim-sized items, then <c>writers</c> tasks each putting one item and
/// waiting for it to be durable, in a loop. Reports puts per second, puts per SQLite transaction, and the CPU of
/// the journal's threads (writer and checkpointer) and of the whole process per put, read from <c>/proc</c>.
/// No HTTP, no SDK: what one durable put costs the store, without and with point-in-time recovery's history.
/// </summary>
public static class JournalBench
{
    private static readonly TableDefinition Claims = new(
        "claims", "claims-id", "id", null, ImmutableDictionary<string, string>.Empty.Add("id", "S"),
        "PAY_PER_REQUEST", 0, 0, [], null, false, false, DateTimeOffset.UnixEpoch);

    public static async Task<IReadOnlyList<string>> RunAsync(string directory, int prefill, int writers, TimeSpan duration, int rounds)
    {
        // Two stores in the same run: the same table without and with point-in-time recovery (whose history the writer adds to
        // every put's commit), measured in alternating rounds so both meet the same machine.
        var plain = await OpenAsync(Path.Combine(directory, "plain"), Claims, prefill);
        var recovered = await OpenAsync(Path.Combine(directory, "pitr"), Claims with { PointInTimeRecoverySince = DateTimeOffset.UtcNow, RecoveryPeriodInDays = 35 }, prefill);
        try
        {
            var rows = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                rows.Add(await MeasureAsync(plain, "PITR off", prefill, writers, duration));
                rows.Add(await MeasureAsync(recovered, "PITR on", prefill, writers, duration));
            }

            return rows;
        }
        finally
        {
            await plain.DisposeAsync();
            await recovered.DisposeAsync();
        }
    }

    private static async Task<TableStore> OpenAsync(string directory, TableDefinition definition, int prefill)
    {
        var store = TableStore.Open(directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        lock (store.Gate)
        {
            store.AddTable(new TableData(definition));
            store.Append([JournalOperation.PutTable(definition)]);
        }

        long lsn = 0;
        for (var n = 0; n < prefill; n++)
        {
            lsn = Put(store);
            if (n % 512 == 511)
            {
                await store.WaitDurableAsync(lsn);
            }
        }

        await store.WaitDurableAsync(lsn);
        return store;
    }

    private static async Task<string> MeasureAsync(TableStore store, string mode, int prefill, int writers, TimeSpan duration)
    {
        var commits = store.Journal.Commits;
        var journalCpu = JournalThreadsCpu();
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long puts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await store.WaitDurableAsync(Put(store));
                Interlocked.Increment(ref puts);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var perCommit = puts / (double)Math.Max(1, store.Journal.Commits - commits);
        var journalUs = (JournalThreadsCpu() - journalCpu).TotalMicroseconds / Math.Max(1, puts);
        var processUs = (Process.GetCurrentProcess().TotalProcessorTime - processCpu).TotalMicroseconds / Math.Max(1, puts);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {prefill:N0} random keys, {writers} writers, {mode} | {puts / elapsed.TotalSeconds:N0} | {perCommit:F2} | {journalUs:F1} | {processUs:F1} |");
    }

    private static long Put(TableStore store)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var item = new Dictionary<string, AttributeValue>
        {
            ["id"] = AttributeValue.FromString(Guid.NewGuid().ToString()),
            ["memberId"] = AttributeValue.FromString("bench-member"),
            ["policyId"] = AttributeValue.FromString("policy-7"),
            ["memberName"] = AttributeValue.FromString("Bench Member"),
            ["status"] = AttributeValue.FromString("SUBMITTED"),
            ["description"] = AttributeValue.FromString(new string('d', 180)),
            ["createdAt"] = AttributeValue.FromString(now),
            ["updatedAt"] = AttributeValue.FromString(now),
        };
        lock (store.Gate)
        {
            var stored = StoredItemFactory.Create(Claims, item, store.NextLsn);
            store.GetTable(Claims.Name).Put(stored.PartitionKey, stored.SortKey, stored);
            return store.Append([JournalOperation.PutItem(Claims.Name, stored)]);
        }
    }

    /// <summary>User and system time of the journal's writer and checkpointer threads (named "Cloister.Tables …").</summary>
    private static TimeSpan JournalThreadsCpu()
    {
        var ticks = 0L;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                // The main thread carries the process's name, which starts the same way.
                if (Path.GetFileName(task) == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
                    || !File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Cloister.Tables", StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
