using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Functions.Launching;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// A custom runtime whose bootstrap is missing or cannot be executed answers as Lambda answers it:
/// <c>Runtime.InvalidEntrypoint</c>, <c>RequestId: {id} Error: Couldn't find valid bootstrap(s): […]</c> or
/// <c>fork/exec PATH: permission denied</c>, with Lambda's log lines. The processes start through a wrapper, as the
/// network fabric starts them in a stack (a shell that execs the program: its own exec failure would only be its exit
/// status 127 or 126), so these pass only because Cloister checks the entrypoint before it launches anything.
/// </summary>
public sealed class EntrypointTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state }, new WrappingLauncher()), IAsyncLifetime
{
    private readonly string _code = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cloister-entrypoint-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task InvokeAsync_NoBootstrap_ReturnsInvalidEntrypointWithLambdasMessageAndLog()
    {
        await DeployAsync("empty");

        var result = await Service.InvokeAsync("empty", "{}"u8.ToArray());

        Assert.Equal((200, "Unhandled"), (result.StatusCode, result.FunctionError));
        var message = $"RequestId: {result.RequestId} Error: Couldn't find valid bootstrap(s): [{Path.Combine(_code, "bootstrap")} /opt/bootstrap]";
        AssertError(result, message);
        var lines = (await LogEventsAsync("empty", "REPORT RequestId")).Select(e => e.Message).ToList();
        AssertInOrder(
            lines,
            l => l.StartsWith("INIT_START Runtime Version: provided.al2023", StringComparison.Ordinal),
            l => IsFailedInitReport(l, "init", "Runtime.InvalidEntrypoint"),
            l => IsFailedInitReport(l, "invoke", "Runtime.InvalidEntrypoint"),
            l => l == $"START RequestId: {result.RequestId} Version: $LATEST",
            l => l == $"{message}\nRuntime.InvalidEntrypoint",
            l => l == $"END RequestId: {result.RequestId}",
            l => IsFailedReport(l, result.RequestId, "Runtime.InvalidEntrypoint"));
        Assert.DoesNotContain(lines, l => l.Contains("exit status", StringComparison.Ordinal));
        Assert.Empty(Service.ProcessIdsOf("empty"));
    }

    /// <summary>What exec refuses, in the words of Lambda's runtime manager (Go's <c>fork/exec</c> errors).</summary>
    [Theory]
    [InlineData("not-executable", "permission denied")]
    [InlineData("windows-line-ends", "no such file or directory")]
    [InlineData("no-shebang", "exec format error")]
    [InlineData("directory", "permission denied")]
    [InlineData("missing-interpreter", "no such file or directory")]
    public async Task InvokeAsync_BootstrapExecRefuses_ReturnsInvalidEntrypointWithExecsReason(string kind, string reason)
    {
        var bootstrap = Path.Combine(_code, "bootstrap");
        switch (kind)
        {
            case "not-executable":
                File.WriteAllText(bootstrap, "#!/bin/sh\necho hello\n");
                File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                break;
            case "windows-line-ends":
                WriteExecutable(bootstrap, "#!/bin/sh\r\necho hello\r\n");
                break;
            case "no-shebang":
                WriteExecutable(bootstrap, "echo hello\n");
                break;
            case "directory":
                Directory.CreateDirectory(bootstrap);
                break;
            default:
                WriteExecutable(bootstrap, "#!/no/such/interpreter -e\necho hello\n");
                break;
        }

        await DeployAsync("refused");

        var result = await Service.InvokeAsync("refused", "{}"u8.ToArray());

        Assert.Equal("Unhandled", result.FunctionError);
        AssertError(result, $"RequestId: {result.RequestId} Error: fork/exec {bootstrap}: {reason}");
        var lines = (await LogEventsAsync("refused", "REPORT RequestId")).Select(e => e.Message).ToList();
        Assert.Contains(lines, l => IsFailedReport(l, result.RequestId, "Runtime.InvalidEntrypoint"));
    }

    /// <summary>A bootstrap that runs and exits 127 itself (a command it calls is missing) is a runtime that exited, not an invalid entrypoint.</summary>
    [Fact]
    public async Task InvokeAsync_BootstrapExits127_ReturnsExitError()
    {
        WriteExecutable(Path.Combine(_code, "bootstrap"), "#!/bin/sh\nexit 127\n");
        await DeployAsync("exits");

        var result = await Service.InvokeAsync("exits", "{}"u8.ToArray());

        AssertError(result, $"RequestId: {result.RequestId} Error: Runtime exited with error: exit status 127", "Runtime.ExitError");
    }

    /// <summary>The entrypoint is checked at every init, as Lambda's runtime manager looks for it: a bootstrap added later runs.</summary>
    [Fact]
    public async Task InvokeAsync_BootstrapAddedAfterAFailure_Runs()
    {
        await DeployAsync("later");
        var failed = await Service.InvokeAsync("later", "{}"u8.ToArray());
        Assert.Equal("Unhandled", failed.FunctionError);

        File.Copy(Path.Combine(ServiceFixture.FunctionsDirectory, "init", "bootstrap"), Path.Combine(_code, "bootstrap"));
        var result = await Service.InvokeAsync("later", "{}"u8.ToArray());

        Assert.True(result.Succeeded, System.Text.Encoding.UTF8.GetString(result.Payload.Span));
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(_code, recursive: true);
    }

    private static void WriteExecutable(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Executable);
    }

    private static void AssertError(InvocationResult result, string message, string type = "Runtime.InvalidEntrypoint")
    {
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal(type, error.GetProperty("errorType").GetString());
        Assert.Equal(message, error.GetProperty("errorMessage").GetString());
    }

    private async Task DeployAsync(string name)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "provided.al2023", "bootstrap", _code, null, 128, 10, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    /// <summary>Starts every process through <c>/bin/sh -c 'exec "$@"'</c>, as the network fabric starts them through its own wrapper.</summary>
    private sealed class WrappingLauncher : IProcessLauncher
    {
        public ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken) =>
            HostProcessLauncher.Instance.OpenRuntimeApiSocketAsync(placement, cancellationToken);

        public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken) =>
            HostProcessLauncher.Instance.StartAsync(spec with { FileName = "/bin/sh", Arguments = ["-c", "exec \"$@\"", "sh", spec.FileName, .. spec.Arguments] }, cancellationToken);
    }
}
