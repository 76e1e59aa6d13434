using System.Collections.Immutable;
using System.Diagnostics;
using Cloister.Functions.Launching;

namespace Cloister.Functions.Bench;

/// <summary>
/// What an execution environment's process costs to start and to stop, apart from any runtime: a shell that starts a
/// <c>setsid</c> child and two children in its group, started and stopped through <see cref="HostProcessLauncher"/>.
/// </summary>
internal static class LifecycleBench
{
    private const string Script = "setsid sleep 300 < /dev/null > /dev/null 2>&1 & sleep 300 & sleep 300 & echo ready; wait";

    public static async Task RunAsync(int count, TextWriter output)
    {
        var starts = new List<double>(count);
        var stops = new List<double>(count);
        var spec = new ProcessLaunchSpec(
            "/bin/sh", ["-c", Script], "/", ImmutableDictionary<string, string>.Empty.Add("PATH", "/usr/bin:/bin"), new ProcessPlacement("bench", null));
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var process = await HostProcessLauncher.Instance.StartAsync(spec, CancellationToken.None);
            starts.Add(clock.Elapsed.TotalMilliseconds);
            using (var reader = new StreamReader(process.StandardOutput, leaveOpen: true))
            {
                if (await reader.ReadLineAsync() != "ready")
                {
                    throw new InvalidOperationException("The shell did not start its children.");
                }
            }

            clock.Restart();
            await process.DisposeAsync();
            stops.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"Environment process lifecycle: {count} starts and stops, {Environment.ProcessorCount} cores, {Process.GetProcesses().Length} processes on the machine");
        output.WriteLine();
        output.WriteLine("| (ms) | n | p50 | p90 | p99 | mean |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        output.WriteLine(LatencyStats.Of(starts).Row("start (StartAsync)"));
        output.WriteLine(LatencyStats.Of(stops).Row("stop (DisposeAsync: kill, reap)"));
    }
}
