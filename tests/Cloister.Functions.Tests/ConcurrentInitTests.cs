using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>Cold starts bounded per function: invocations beyond the init slots wait for an idle environment or a slot.</summary>
public sealed class ConcurrentInitTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    ConcurrentInits = 1,
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
}
