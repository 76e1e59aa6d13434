using System.Collections.Immutable;
using System.Globalization;
using Cloister.Functions.Launching;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>Tests that need a <see cref="LambdaService"/> with options (and a launcher) of their own, over a temporary folder.</summary>
public abstract class IsolatedServiceTests(Func<StatePaths, FunctionsOptions> options, IProcessLauncher? launcher = null) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-isolated-" + Guid.NewGuid().ToString("N")[..8]);

    protected LambdaService Service { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Service = new LambdaService(options(new StatePaths(_root)), launcher);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// The function's log file once it contains <paramref name="text"/> (polled, 10 s at most): its complete lines only,
    /// as the writer may be in the middle of one. Lines written after <paramref name="text"/> may not be there yet.
    /// </summary>
    protected async Task<string> LogContainingAsync(string function, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var log = string.Empty;
        while (!log.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            log = await ServiceFixture.CompleteLinesAsync(Service.LogPathOf(function));
        }

        return log;
    }

    /// <summary>The function's log events (stream, message) once its log contains <paramref name="text"/>.</summary>
    protected async Task<IReadOnlyList<(string Stream, string Message)>> LogEventsAsync(string function, string text) =>
        ServiceFixture.ParseEvents(await LogContainingAsync(function, text));

    /// <summary>The function's log events (stream, message) once <paramref name="condition"/> holds for them (polled, 10 s at most).</summary>
    protected async Task<IReadOnlyList<(string Stream, string Message)>> LogEventsAsync(string function, Func<IReadOnlyList<(string Stream, string Message)>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<(string Stream, string Message)> events = [];
        while (!condition(events) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            events = ServiceFixture.ParseEvents(await ServiceFixture.CompleteLinesAsync(Service.LogPathOf(function)));
        }

        return events;
    }

    /// <summary>
    /// Credentials for <see cref="FunctionsOptions.Credentials"/> numbered in the order they are issued
    /// (<paramref name="prefix"/> and twelve digits), so a test tells one init's from the next.
    /// </summary>
    protected static Func<LambdaFunction, SandboxCredentials> NumberedCredentials(string prefix)
    {
        var issued = 0;
        return _ => new SandboxCredentials(prefix + Interlocked.Increment(ref issued).ToString("D12", CultureInfo.InvariantCulture), "secret", "token");
    }

    /// <summary>Deploys <c>functions/init/bootstrap</c> (provided.al2, 128 MB) with its <c>INIT_MODE</c>.</summary>
    protected async Task DeployInitRuntimeAsync(string name, string mode, int timeoutSeconds, int? reservedConcurrency = null, string? initErrorType = null)
    {
        var variables = ImmutableDictionary<string, string>.Empty.Add("INIT_MODE", mode);
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "provided.al2", "unused", Path.Combine(ServiceFixture.FunctionsDirectory, "init"), null, 128, timeoutSeconds,
            initErrorType is null ? variables : variables.Add("INIT_ERROR_TYPE", initErrorType), null, reservedConcurrency));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    /// <summary>Matches the <c>INIT_REPORT</c> line of an init that failed in <paramref name="phase"/> with <paramref name="errorType"/>.</summary>
    protected static bool IsFailedInitReport(string line, string phase, string errorType) =>
        line.StartsWith("INIT_REPORT Init Duration: ", StringComparison.Ordinal)
        && line.EndsWith($" ms\tPhase: {phase}\tStatus: error\tError Type: {errorType}\t", StringComparison.Ordinal);

    /// <summary>Matches the <c>REPORT</c> line of invocation <paramref name="requestId"/> that failed with <paramref name="errorType"/>.</summary>
    protected static bool IsFailedReport(string line, string requestId, string errorType) =>
        line.StartsWith($"REPORT RequestId: {requestId}\t", StringComparison.Ordinal)
        && line.EndsWith($"\tStatus: error\tError Type: {errorType}\t", StringComparison.Ordinal);

    /// <summary>Asserts that lines matching each of <paramref name="expected"/> come in that order (others may come between).</summary>
    protected static void AssertInOrder(IReadOnlyList<string> lines, params Func<string, bool>[] expected)
    {
        var at = 0;
        foreach (var (matches, index) in expected.Select((m, i) => (m, i)))
        {
            while (at < lines.Count && !matches(lines[at]))
            {
                at++;
            }

            Assert.True(at < lines.Count, $"expected line {index} not found in order in:\n{string.Join("\n", lines)}");
            at++;
        }
    }
}
