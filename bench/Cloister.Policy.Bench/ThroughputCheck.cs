using System.Diagnostics;
using System.Globalization;

namespace Cloister.Policy.Bench;

/// <summary>
/// <c>dotnet run -c Release -- throughput</c>: evaluates the seeds' policy in a loop on one thread and
/// reports evaluations per second by wall time and by the process's CPU time. On a machine shared
/// with other work the CPU-time figure is the one that says what one core can do.
/// </summary>
internal static class ThroughputCheck
{
    public static void Run(TextWriter output)
    {
        var benchmarks = new PolicyEvaluationBenchmarks();
        benchmarks.Setup();
        const int Evaluations = 5_000_000;
        for (var round = 1; round <= 5; round++)
        {
            var allowed = 0;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < Evaluations; i++)
            {
                if (benchmarks.SeedPolicy_Allow() == Decision.Allow)
                {
                    allowed++;
                }
            }

            wall.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {Evaluations / wall.Elapsed.TotalSeconds / 1e6:F1} M/s wall, {Evaluations / cpu.TotalSeconds / 1e6:F1} M/s per core (CPU time), {allowed} allowed"));
        }
    }
}
