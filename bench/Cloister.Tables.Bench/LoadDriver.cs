using System.Diagnostics;

namespace Cloister.Tables.Bench;

/// <summary>Runs N concurrent workers for a fixed time and records every operation's latency.</summary>
public static class LoadDriver
{
    /// <summary>
    /// Runs the operation for at least <paramref name="minimum"/>, then in one-second rounds until the JIT is
    /// quiet (under 10 ms of compilation in a round) or 40 s have passed. Tiered compilation with PGO
    /// recompiles the SDK's and Kestrel's hot paths for many seconds on two busy cores; a phase measured
    /// before that settles measures the JIT (it took 3.5 s of an 8 s PutItem phase after a 2 s warm-up).
    /// </summary>
    public static async Task WarmUpAsync(int workers, TimeSpan minimum, Func<int, long, Task> operation)
    {
        var started = Stopwatch.StartNew();
        await RunAsync("warm-up", workers, minimum, operation);
        while (started.Elapsed < TimeSpan.FromSeconds(40))
        {
            var round = await RunAsync("warm-up", workers, TimeSpan.FromSeconds(1), operation);
            if (round.Jit < TimeSpan.FromMilliseconds(10))
            {
                break;
            }
        }

        Console.Error.WriteLine($"warm-up: {started.Elapsed.TotalSeconds:F1} s");
    }

    public static async Task<LoadResult> RunAsync(string name, int workers, TimeSpan duration, Func<int, long, Task> operation)
    {
        var latencies = new List<long>[workers];
        var errors = 0L;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jit = System.Runtime.JitInfo.GetCompilationTime();
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
        jit = System.Runtime.JitInfo.GetCompilationTime() - jit;
        var all = latencies.SelectMany(list => list).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(name, all.Length, total.Elapsed, Percentile(0.50), Percentile(0.99), errors, cpu, jit);
    }
}
