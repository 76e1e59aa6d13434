using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Provisioned concurrency: environments of a version initialized at deploy, before any invocation, with
/// <c>AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency</c>; invocations take them first and spill to on-demand
/// environments beyond them; they are carved out of the function's concurrency and never reaped.
/// </summary>
public sealed class ProvisionedConcurrencyTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state, IdleTimeout = TimeSpan.FromMilliseconds(300) })
{
    private const string Code = """
        exports.handler = async (event, context) => {
          if (event.ms) { await new Promise((resolve) => setTimeout(resolve, event.ms)); }
          return { pid: process.pid, type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, version: process.env.AWS_LAMBDA_FUNCTION_VERSION };
        };
        """;

    /// <summary>An inline Node.js function with version 1 (provisioned <paramref name="onVersion"/>) and alias live (provisioned <paramref name="onAlias"/>).</summary>
    private static LambdaFunction Function(string name, int? onVersion, int? onAlias, int? reserved = null)
    {
        var latest = new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, Code, 128, 10, ImmutableDictionary<string, string>.Empty, null, reserved);
        return latest with
        {
            Versions = [new FunctionVersion("V1", "1", null, latest) { ProvisionedConcurrency = onVersion }],
            Aliases = [new FunctionAlias("Live", "live", "1", null) { ProvisionedConcurrency = onAlias }],
        };
    }

    private async Task DeployAsync(LambdaFunction function)
    {
        var deployed = await Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    private static bool IsVersionOneInit((string Stream, string Message) e) =>
        e.Message.StartsWith("INIT_START", StringComparison.Ordinal) && e.Stream.Contains("/[1]", StringComparison.Ordinal);

    private async Task<(InvocationResult Result, int Pid, string Type)> InvokeAsync(string qualified, int ms = 0)
    {
        var result = await Service.InvokeAsync(qualified, Encoding.UTF8.GetBytes($$"""{"ms":{{ms}}}"""));
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var body = JsonDocument.Parse(result.Payload).RootElement;
        return (result, body.GetProperty("pid").GetInt32(), body.GetProperty("type").GetString()!);
    }

    [Fact]
    public async Task DeployAsync_ProvisionedAlias_InitializesItsEnvironmentsBeforeAnyInvocation()
    {
        await DeployAsync(Function("warm", onVersion: null, onAlias: 2));

        var provisioned = Service.ProcessIdsOf("warm");
        Assert.Equal(2, provisioned.Count);
        var inits = await LogEventsAsync("warm", e => e.Count(IsVersionOneInit) >= 2);
        Assert.Equal(2, inits.Count(IsVersionOneInit));

        var (result, pid, type) = await InvokeAsync("warm:live");
        Assert.Contains(pid, provisioned);
        Assert.Equal(("provisioned-concurrency", "1"), (type, result.ExecutedVersion));
        var (latestResult, latestPid, latestType) = await InvokeAsync("warm");
        Assert.DoesNotContain(latestPid, provisioned);
        Assert.Equal("on-demand", latestType);
        // The provisioned environment's init happened at deploy: its invocation's REPORT carries no Init Duration.
        // Both invocations' lines: the log is written in the background, the $LATEST one's last.
        var latestReport = $"REPORT RequestId: {latestResult.RequestId}\t";
        var events = await LogEventsAsync("warm", e => e.Any(l => l.Message.StartsWith(latestReport, StringComparison.Ordinal)));
        var report = Assert.Single(events, e => e.Message.StartsWith($"REPORT RequestId: {result.RequestId}\t", StringComparison.Ordinal));
        Assert.DoesNotContain("Init Duration", report.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Message.Contains("Init Duration", StringComparison.Ordinal) && e.Stream.Contains("/[$LATEST]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployAsync_RedeployedWhileProvisionedBusy_NewEnvironmentsTakeOverOldFinishesThenStops()
    {
        await DeployAsync(Function("handover", onVersion: 2, onAlias: null));
        var old = Service.ProcessIdsOf("handover");
        var slow = InvokeAsync("handover:live", ms: 1500);

        await DeployAsync(Function("handover", onVersion: 2, onAlias: null));
        var (_, pid, type) = await InvokeAsync("handover:live");
        var (_, slowPid, _) = await slow;

        Assert.Equal(2, old.Count);
        Assert.Contains(slowPid, old);
        Assert.DoesNotContain(pid, old);
        Assert.Equal("provisioned-concurrency", type);
        foreach (var gone in old)
        {
            Assert.True(await ServiceFixture.ProcessGoneAsync(gone), $"the old provisioned environment's process {gone} still runs");
        }

        Assert.Equal(2, Service.ProcessIdsOf("handover").Count);
    }

    [Fact]
    public async Task InvokeAsync_ProvisionedEnvironmentBusy_SpillsToAnOnDemandEnvironment()
    {
        await DeployAsync(Function("spill", onVersion: 1, onAlias: null));
        var provisioned = Assert.Single(Service.ProcessIdsOf("spill"));

        // The provisioned environment is taken before InvokeAsync returns its task.
        var slow = InvokeAsync("spill:live", ms: 1500);
        var (_, spilledPid, spilledType) = await InvokeAsync("spill:1");

        Assert.Equal(("on-demand", true), (spilledType, spilledPid != provisioned));
        var (_, slowPid, slowType) = await slow;
        Assert.Equal((provisioned, "provisioned-concurrency"), (slowPid, slowType));
        var (_, nextPid, _) = await InvokeAsync("spill:live");
        Assert.Equal(provisioned, nextPid);
    }

    [Fact]
    public async Task InvokeAsync_ProvisionedCarvedOutOfReserved_ThrottlesOnDemandBeyondIt()
    {
        await DeployAsync(Function("carved", onVersion: null, onAlias: 1, reserved: 1));

        var slow = InvokeAsync("carved:live", ms: 1500);
        var spilled = await Service.InvokeAsync("carved:live", "{}"u8.ToArray());
        var latest = await Service.InvokeAsync("carved", "{}"u8.ToArray());

        foreach (var throttled in new[] { spilled, latest })
        {
            Assert.Equal((429, "TooManyRequestsException"), (throttled.StatusCode, throttled.ServiceErrorType));
            Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", JsonDocument.Parse(throttled.Payload).RootElement.GetProperty("Reason").GetString());
        }

        Assert.Equal("provisioned-concurrency", (await slow).Type);
    }

    [Fact]
    public async Task ReapIdle_ProvisionedEnvironments_StayWarm()
    {
        await DeployAsync(Function("kept", onVersion: 1, onAlias: null));
        var provisioned = Assert.Single(Service.ProcessIdsOf("kept"));
        // Its pid from the invocation itself: the 300 ms idle timeout may reap the environment before a look at the list.
        var (_, onDemand, onDemandType) = await InvokeAsync("kept");
        Assert.Equal("on-demand", onDemandType);
        Assert.NotEqual(provisioned, onDemand);

        // The on-demand environment goes after the 300 ms idle timeout; the provisioned one stays.
        Assert.True(await ServiceFixture.ProcessGoneAsync(onDemand), $"the idle on-demand environment's process {onDemand} still runs");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf("kept").Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal([provisioned], Service.ProcessIdsOf("kept"));
        var (_, pid, type) = await InvokeAsync("kept:1");
        Assert.Equal((provisioned, "provisioned-concurrency"), (pid, type));
    }

    [Fact]
    public async Task InvokeAsync_ProvisionedEnvironmentLost_ServedByAnotherAndReplaced()
    {
        await DeployAsync(Function("lost", onVersion: 2, onAlias: null));
        var provisioned = Service.ProcessIdsOf("lost");
        Assert.Equal(2, provisioned.Count);

        // Lambda keeps the provisioned count: an environment whose runtime dies is replaced, and invocations meanwhile
        // go to the provisioned environment still standing.
        var killed = provisioned[0];
        using (var process = System.Diagnostics.Process.GetProcessById(killed))
        {
            process.Kill();
        }

        // Once Cloister has seen the runtime's end (an invocation racing the kill itself would find it running).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Service.ProcessIdsOf("lost").Contains(killed) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var (_, pid, type) = await InvokeAsync("lost:1");
        Assert.Equal((provisioned[1], "provisioned-concurrency"), (pid, type));
        while (Service.ProcessIdsOf("lost").Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var replaced = Service.ProcessIdsOf("lost");
        Assert.Equal(2, replaced.Count);
        Assert.DoesNotContain(killed, replaced);
        var inits = await LogEventsAsync("lost", e => e.Count(IsVersionOneInit) >= 3);
        Assert.Equal(3, inits.Count(IsVersionOneInit));
        var replacement = Assert.Single(replaced, p => p != provisioned[1]);
        var environment = await File.ReadAllTextAsync($"/proc/{replacement}/environ");
        Assert.Contains("\0AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency\0", "\0" + environment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployAsync_ProvisionedInitFails_IsAProblemAndStartsNothing()
    {
        var latest = new LambdaFunction(
            "broken", "broken", "provided.al2", "unused", Path.Combine(ServiceFixture.FunctionsDirectory, "init"), null, 128, 3,
            ImmutableDictionary<string, string>.Empty.Add("INIT_MODE", "error"), null, null);

        var result = await Service.DeployAsync(latest with { Versions = [new FunctionVersion("V1", "1", null, latest) { ProvisionedConcurrency = 1 }] });

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("Function broken: the provisioned concurrency of version 1 could not be allocated: FUNCTION_ERROR_INIT_FAILURE", problem, StringComparison.Ordinal);
        Assert.Empty(Service.ProcessIdsOf("broken"));
        var events = await LogEventsAsync("broken", "INIT_REPORT");
        Assert.Contains(events, e => IsFailedInitReport(e.Message, "init", "Runtime.ConfigError"));
    }

    /// <summary>What Lambda's PutProvisionedConcurrencyConfig refuses is refused at deploy, in Lambda's words.</summary>
    [Theory]
    [InlineData("latest", "alias live: Provisioned Concurrency Configs cannot be applied to unpublished function versions.")]
    [InlineData("weighted", "alias live: Alias with weights can not be used with Provisioned Concurrency")]
    [InlineData("both", "alias live: Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")]
    [InlineData("reserved", "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")]
    [InlineData("unreserved", "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [1].")]
    public async Task DeployAsync_ProvisionedConcurrencyLambdaRefuses_IsAProblem(string shape, string message)
    {
        var function = Function("refused", onVersion: null, onAlias: 1);
        var alias = function.Aliases[0];
        function = shape switch
        {
            "latest" => function with { Aliases = [alias with { FunctionVersion = "$LATEST" }] },
            "weighted" => function with
            {
                Versions = [function.Versions[0], function.Versions[0] with { LogicalId = "V2", Version = "2" }],
                Aliases = [alias with { AdditionalVersion = new VersionWeight("2", 0.1) }],
            },
            "both" => function with { Versions = [function.Versions[0] with { ProvisionedConcurrency = 1 }] },
            "reserved" => function with { ReservedConcurrency = 2, Aliases = [alias with { ProvisionedConcurrency = 3 }] },
            _ => function with { Aliases = [alias with { ProvisionedConcurrency = 32 }] },
        };

        var result = await Service.DeployAsync(function);

        Assert.Equal("Function refused: " + message, Assert.Single(result.Problems));
        Assert.Empty(Service.ProcessIdsOf("refused"));
    }
}
