using System.Collections.Immutable;
using System.Diagnostics;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>Stopping the service: every environment is killed first, so nothing under way makes it wait.</summary>
public sealed class ServiceDisposeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-dispose-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task DisposeAsync_EventInvocationRunning_StopsItWithoutWaitingForIt()
    {
        await using var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root) });
        var deployed = await service.DeployAsync(new LambdaFunction(
            "slow", "slow", "nodejs20.x", "index.handler", null, "exports.handler = () => new Promise((r) => setTimeout(r, 30000));",
            128, 300, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded);
        await service.InvokeAsync("slow", "{}"u8.ToArray(), InvocationType.Event);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (service.ProcessIdsOf("slow").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var pid = Assert.Single(service.ProcessIdsOf("slow"));
        var stopwatch = Stopwatch.StartNew();

        await service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"process {pid} still runs");
    }
}
