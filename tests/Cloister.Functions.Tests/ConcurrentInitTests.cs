using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>Cold starts bounded per function: invocations beyond the init slots wait for an idle environment or a slot.</summary>
public sealed class ConcurrentInitTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    ConcurrentInits = 1,
    InitTimeout = TimeSpan.FromSeconds(1),
})
{
    [Fact]
    public async Task InvokeAsync_BurstBeyondInitSlots_AllSucceedOnFewerEnvironments()
    {
        // Each init takes 300 ms and each invocation about nothing: with one init slot, the waiting invocations
        // take the first environment as soon as it is idle instead of each starting one of their own.
        var deployed = await Service.DeployAsync(new LambdaFunction(
            "burst", "burst", "nodejs20.x", "index.handler", null,
            "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);\nexports.handler = async () => process.pid;",
            128, 10, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Service.InvokeAsync("burst", "{}"u8.ToArray()).AsTask()));

        Assert.All(results, r => Assert.True(r.Succeeded, Encoding.UTF8.GetString(r.Payload.Span)));
        var processes = results.Select(r => Encoding.UTF8.GetString(r.Payload.Span)).Distinct().Count();
        Assert.InRange(processes, 1, 5);
        Assert.Equal(processes, Service.ProcessIdsOf("burst").Count);
    }

    [Fact]
    public async Task InvokeAsync_InitRunAgain_HoldsTheInitSlotUntilItIsDone()
    {
        // The first init passes the one-second limit and is run again (0.3 s) in the invocation; a second invocation
        // arriving meanwhile may start an environment of its own only once that re-run is over: it is an init too.
        await DeployInitRuntimeAsync("slow-once", "slow-once", timeoutSeconds: 10);
        var first = Service.InvokeAsync("slow-once", "{}"u8.ToArray()).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf("slow-once").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var second = Service.InvokeAsync("slow-once", "{}"u8.ToArray()).AsTask();
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.Succeeded, Encoding.UTF8.GetString(r.Payload.Span)));
        var events = (await LogEventsAsync("slow-once", $"REPORT RequestId: {results[1].RequestId}")).ToList();
        var stream = events.First(e => e.Message.StartsWith("INIT_START", StringComparison.Ordinal)).Stream;
        var reported = events.FindIndex(e => e.Stream == stream && e.Message.StartsWith("INIT_REPORT", StringComparison.Ordinal));
        var ready = events.FindIndex(e => e.Stream == stream && e.Message == "init 2 ready");
        Assert.True(reported >= 0 && ready > reported, string.Join('\n', events.Select(e => e.Message)));
        Assert.DoesNotContain(events[reported..ready], e => e.Message.StartsWith("INIT_START", StringComparison.Ordinal));
    }
}
