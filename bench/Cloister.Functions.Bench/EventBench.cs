using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Bench;

/// <summary>
/// Event (asynchronous) invocations: how many 202s a service gives per second to callers invoking at once (a Node.js
/// function that does nothing, four environments at most, runs them meanwhile; the rest are throttled and wait).
/// </summary>
internal static class EventBench
{
    public static async Task RunAsync(int count, int callers, TextWriter output)
    {
        var root = Path.Combine(Path.GetTempPath(), "cloister-functions-event-bench-" + Environment.ProcessId);
        try
        {
            await using var service = new LambdaService(new FunctionsOptions { State = new StatePaths(root), UnreservedConcurrencyLimit = 4 });
            var deployed = await service.DeployAsync(new LambdaFunction(
                "events", "events", "nodejs20.x", "index.handler", null, "exports.handler = async () => null;",
                128, 30, ImmutableDictionary<string, string>.Empty, null, null));
            if (!deployed.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", deployed.Problems));
            }

            var payload = """{"action":"event"}"""u8.ToArray();
            var next = 0;
            var refused = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    var result = await service.InvokeAsync("events", payload, InvocationType.Event);
                    if (result.StatusCode != 202)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            })));
            var accepting = clock.Elapsed;
            output.WriteLine($"Event invocations: {count} by {callers} callers at once, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            output.WriteLine();
            output.WriteLine("| measure | value |");
            output.WriteLine("| --- | --- |");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| accepted (202) per second | {count / accepting.TotalSeconds:F0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| refused | {refused} |"));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
