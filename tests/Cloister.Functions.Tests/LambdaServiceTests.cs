using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>The service's own behaviour, with options the runtime tests do not use (a short idle timeout).</summary>
public sealed class LambdaServiceTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    IdleTimeout = TimeSpan.FromMilliseconds(300),
})
{
    [Fact]
    public async Task ReapIdle_EnvironmentIdlePastTimeout_ProcessIsStopped()
    {
        var function = await DeployNodeAsync();
        var result = await Service.InvokeAsync(function, "{}"u8.ToArray());
        Assert.True(result.Succeeded);
        var pid = Assert.Single(Service.ProcessIdsOf(function));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf(function).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(Service.ProcessIdsOf(function));
        Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"process {pid} still runs");
    }

    [Fact]
    public async Task ReapIdle_VersionEnvironmentsIdlePastTimeout_AreStopped()
    {
        var name = "svc-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True((await Service.DeployAsync(ServiceFixture.WithVersionOne(Function(name)))).Succeeded);
        var latest = await Service.InvokeAsync(name, """{"action":"pid"}"""u8.ToArray());
        var version = await Service.InvokeAsync(name + ":live", """{"action":"pid"}"""u8.ToArray());
        var pids = new[] { latest, version }.Select(r => System.Text.Json.JsonDocument.Parse(r.Payload).RootElement.GetProperty("pid").GetInt32()).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf(name).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("1", version.ExecutedVersion);
        Assert.Equal(2, pids.Distinct().Count());
        Assert.Empty(Service.ProcessIdsOf(name));
        foreach (var pid in pids)
        {
            Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"process {pid} still runs");
        }
    }

    [Fact]
    public async Task ReapIdle_ResetEnvironmentIdlePastTimeout_TemporaryFolderIsRemoved()
    {
        var function = await DeployNodeAsync();
        var env = await Service.InvokeAsync(function, """{"action":"env"}"""u8.ToArray());
        var folder = System.Text.Json.JsonDocument.Parse(env.Payload).RootElement.GetProperty("TMPDIR").GetString()!;

        // The runtime exits: the environment is reset (its process stopped, its TMPDIR kept) and goes back idle.
        var exited = await Service.InvokeAsync(function, """{"action":"exit"}"""u8.ToArray());

        Assert.Equal("Unhandled", exited.FunctionError);
        Assert.Empty(Service.ProcessIdsOf(function));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists(folder) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(Directory.Exists(folder), "the reset environment's TMPDIR goes when the reaper stops it");
        var next = await Service.InvokeAsync(function, """{"action":"pid"}"""u8.ToArray());
        Assert.True(next.Succeeded, Encoding.UTF8.GetString(next.Payload.Span));
        var log = await LogContainingAsync(function, $"REPORT RequestId: {next.RequestId}");
        Assert.Equal(2, log.Split("INIT_START").Length - 1);
    }

    [Fact]
    public async Task InvokeAsync_DryRun_Returns204WithoutStartingAnything()
    {
        var function = await DeployNodeAsync();

        var result = await Service.InvokeAsync(function, "{}"u8.ToArray(), InvocationType.DryRun);

        Assert.Equal(204, result.StatusCode);
        Assert.Empty(Service.ProcessIdsOf(function));
    }

    [Fact]
    public async Task InvokeAsync_EventThatSucceeds_RunsOnce()
    {
        var function = await DeployNodeAsync();

        var accepted = await Service.InvokeAsync(function, """{"value":"async"}"""u8.ToArray(), InvocationType.Event);

        Assert.Equal(202, accepted.StatusCode);
        var log = await LogContainingAsync(function, "REPORT");

        Assert.Equal(1, log.Split("START RequestId").Length - 1);
    }

    [Fact]
    public async Task DeployAsync_BadFunction_ReportsEveryProblem()
    {
        var result = await Service.DeployAsync(new LambdaFunction(
            "Bad", "bad", "cobol85", null, "/nonexistent", null, 64, 0, ImmutableDictionary<string, string>.Empty, null, null));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Contains("Runtime cobol85", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("Timeout", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("MemorySize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployAsync_Redeploy_StopsOldEnvironments()
    {
        var function = await DeployNodeAsync();
        // Pids from the invocations themselves: the 300 ms idle timeout may reap an environment before a look at the list.
        var before = PidOf(await Service.InvokeAsync(function, """{"action":"pid"}"""u8.ToArray()));

        var redeployed = await Service.DeployAsync(Function(function));
        var after = PidOf(await Service.InvokeAsync(function, """{"action":"pid"}"""u8.ToArray()));

        Assert.True(redeployed.Succeeded);
        Assert.NotEqual(before, after);
        Assert.True(await ServiceFixture.ProcessGoneAsync(before, TimeSpan.FromSeconds(2)), $"the idle old environment's process {before} still runs");
    }

    [Fact]
    public async Task DeployAsync_RedeployDuringInvocation_InvocationFinishesAndNextRunsNewConfiguration()
    {
        var name = "svc-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True((await Service.DeployAsync(Function(name) with { Environment = ImmutableDictionary<string, string>.Empty.Add("STAGE", "one") })).Succeeded);
        var inFlight = Service.InvokeAsync(name, """{"action":"sleep","ms":2000}"""u8.ToArray()).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf(name).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var old = Assert.Single(Service.ProcessIdsOf(name));

        var redeployed = await Service.DeployAsync(Function(name) with { Environment = ImmutableDictionary<string, string>.Empty.Add("STAGE", "two") });
        var next = await Service.InvokeAsync(name, """{"action":"env"}"""u8.ToArray());
        var first = await inFlight;

        Assert.True(redeployed.Succeeded, string.Join("; ", redeployed.Problems));
        Assert.True(first.Succeeded, Encoding.UTF8.GetString(first.Payload.Span));
        Assert.Equal(old, System.Text.Json.JsonDocument.Parse(first.Payload).RootElement.GetProperty("pid").GetInt32());
        Assert.Equal("two", System.Text.Json.JsonDocument.Parse(next.Payload).RootElement.GetProperty("STAGE").GetString());
        Assert.True(await ServiceFixture.ProcessGoneAsync(old), $"the old environment's process {old} still runs");
        Assert.DoesNotContain(old, Service.ProcessIdsOf(name));
    }

    [Fact]
    public async Task DeployAsync_RedeployWhileAnEventWaitsForConcurrency_EventRunsOnTheNewDeployment()
    {
        var name = "svc-" + Guid.NewGuid().ToString("N")[..12];
        var records = Directory.CreateTempSubdirectory("cloister-drain-").FullName;
        LambdaFunction Recording(string file) => Function(name) with
        {
            ReservedConcurrency = 1,
            Environment = ImmutableDictionary<string, string>.Empty.Add("RECORD", Path.Combine(records, file)),
        };
        Assert.True((await Service.DeployAsync(Recording("old"))).Succeeded);
        // The only slot is taken: the event is throttled and goes back to the queue, to be tried again after a second.
        var busy = Service.InvokeAsync(name, """{"action":"sleep","ms":1500}"""u8.ToArray()).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf(name).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var accepted = await Service.InvokeAsync(name, """{"action":"record"}"""u8.ToArray(), InvocationType.Event);

        var redeployed = await Service.DeployAsync(Recording("new"));
        deadline = DateTime.UtcNow.AddSeconds(15);
        while (!File.Exists(Path.Combine(records, "new")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(202, accepted.StatusCode);
        Assert.True(redeployed.Succeeded, string.Join("; ", redeployed.Problems));
        Assert.True((await busy).Succeeded);
        Assert.Contains(accepted.RequestId, await File.ReadAllTextAsync(Path.Combine(records, "new")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(records, "old")), "the event ran on the old deployment");
        Directory.Delete(records, recursive: true);
    }

    private static int PidOf(InvocationResult result)
    {
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        return System.Text.Json.JsonDocument.Parse(result.Payload).RootElement.GetProperty("pid").GetInt32();
    }

    private async Task<string> DeployNodeAsync()
    {
        var name = "svc-" + Guid.NewGuid().ToString("N")[..12];
        var result = await Service.DeployAsync(Function(name));
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return name;
    }

    private static LambdaFunction Function(string name) => new(
        name, name, "nodejs20.x", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "node"), null, 128, 3,
        ImmutableDictionary<string, string>.Empty, null, null);
}
