using System.Diagnostics;

namespace Cloister.Tables.Bench;

/// <summary>Runs N concurrent workers for a fixed time and records every operation's latency.</summary>
public static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(string name, int workers, TimeSpan duration, Func<int, long, Task> operation)
    {
        var latencies = new List<long>[workers];
        var errors = 0L;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var own = latencies[worker] = new List<long>(100_000);
            for (long n = 0; total.Elapsed < duration; n++)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await operation(worker, n);
                    own.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception exception)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        Console.Error.WriteLine($"{name}: first error: {exception.GetType().Name}: {exception.Message}");
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        total.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var all = latencies.SelectMany(list => list).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(name, all.Length, total.Elapsed, Percentile(0.50), Percentile(0.99), errors, cpu);
    }
}
