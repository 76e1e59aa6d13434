using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cloister.Functions.Tests.Support;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Lambda's <c>MemorySize</c> is the limit of everything in the environment: a handler that goes past it is ended by the
/// kernel's OOM killer, and the caller and the log see what Lambda writes for it (<c>Runtime.OutOfMemory</c>, the runtime
/// exited with <c>signal: killed</c>, <c>Max Memory Used</c> the whole Memory Size); the environment is reset and the
/// next invocation runs in a runtime started again. The function is Python's, 128 MB, allocating what it is asked.
/// </summary>
public sealed class OutOfMemoryTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state })
{
    private const string Handler =
        "import os\n" +
        "def handler(event, context):\n" +
        "    held = b'x' * (event['mb'] * 1024 * 1024)\n" +
        "    return {'pid': os.getpid(), 'held': len(held) // (1024 * 1024)}\n";

    [MemoryFact]
    public async Task InvokeAsync_HandlerAllocatesPastMemorySize_AnswersRuntimeOutOfMemoryAndNextInvocationWorks()
    {
        const string name = "oom";
        await DeployAsync(name);
        var first = await InvokeAsync(name, 1);
        var pid = ServiceFixture.Json(first).GetProperty("pid").GetInt32();

        var killed = await InvokeAsync(name, 300);

        var message = ServiceFixture.AssertFunctionError(killed, "Runtime.OutOfMemory");
        Assert.Equal($"RequestId: {killed.RequestId} Error: Runtime exited with error: signal: killed", message);
        Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"the runtime {pid} still runs");
        var lines = (await LogEventsAsync(name, $"REPORT RequestId: {killed.RequestId}")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l == $"START RequestId: {killed.RequestId} Version: $LATEST",
            l => l == $"RequestId: {killed.RequestId} Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory",
            l => l == $"END RequestId: {killed.RequestId}",
            l => IsFailedReport(l, killed.RequestId, "Runtime.OutOfMemory") && l.Contains("\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t", StringComparison.Ordinal));

        var next = await InvokeAsync(name, 1);

        Assert.True(next.Succeeded, Encoding.UTF8.GetString(next.Payload.Span));
        Assert.NotEqual(pid, ServiceFixture.Json(next).GetProperty("pid").GetInt32());
    }

    [MemoryFact]
    public async Task InvokeAsync_HandlerStaysWithinMemorySize_RunsAndReportsItsPeakBelowIt()
    {
        const string name = "within";
        await DeployAsync(name);

        var result = await InvokeAsync(name, 40);

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal(40, ServiceFixture.Json(result).GetProperty("held").GetInt32());
        var report = (await LogEventsAsync(name, $"REPORT RequestId: {result.RequestId}"))
            .Select(e => e.Message)
            .Single(l => l.StartsWith($"REPORT RequestId: {result.RequestId}\t", StringComparison.Ordinal));
        Assert.DoesNotContain("Status:", report, StringComparison.Ordinal);
        var used = int.Parse(report.Split('\t').Single(f => f.StartsWith("Max Memory Used: ", StringComparison.Ordinal))["Max Memory Used: ".Length..^" MB".Length], CultureInfo.InvariantCulture);
        // The 40 MB held, counted over the environment, and never more than the limit.
        Assert.InRange(used, 40, 128);
    }

    [MemoryFact]
    public async Task InvokeAsync_InitAllocatesPastMemorySize_ReportsRuntimeOutOfMemoryForBothInits()
    {
        const string name = "init-oom";
        await DeployAsync(name, "held = b'x' * (300 * 1024 * 1024)\n" + Handler);

        var result = await Service.InvokeAsync(name, "{}"u8.ToArray());

        var message = ServiceFixture.AssertFunctionError(result, "Runtime.OutOfMemory");
        Assert.Equal($"RequestId: {result.RequestId} Error: Runtime exited with error: signal: killed", message);
        var lines = (await LogEventsAsync(name, $"REPORT RequestId: {result.RequestId}")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => IsFailedInitReport(l, "init", "Runtime.OutOfMemory"),
            l => IsFailedInitReport(l, "invoke", "Runtime.OutOfMemory"),
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l == $"RequestId: {result.RequestId} Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory",
            l => l == $"END RequestId: {result.RequestId}",
            l => IsFailedReport(l, result.RequestId, "Runtime.OutOfMemory") && l.Contains("\tMax Memory Used: 128 MB\t", StringComparison.Ordinal));
    }

    private async Task DeployAsync(string name, string code = Handler)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "python3.12", "index.handler", null, code, 128, 10, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    private async Task<InvocationResult> InvokeAsync(string name, int megabytes) =>
        await Service.InvokeAsync(name, Encoding.UTF8.GetBytes($$"""{"mb":{{megabytes}}}"""));
}
