using System.Globalization;
using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Host.Status;

namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// Every verb that needs ready stacks, run as its own process against a state folder where none are: one exit code
/// (<see cref="CliApplication.NotRunningExitCode"/>) and one line, <c>cloister VERB: ...</c>, naming what to run.
/// </summary>
public sealed class NotRunningTests : IAsyncLifetime
{
    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    public static TheoryData<string, string[]> Verbs => new()
    {
        { "status", ["status"] },
        { "outputs", ["outputs", "--json"] },
        { "invoke", ["invoke", "echo"] },
        { "deploy", ["deploy"] },
        { "exec", ["exec", "--from", "ApiVpcInstance", "--", "true"] },
        { "path", ["path", "--from", "ApiVpcInstance", "--to", "10.0.1.10:443"] },
        { "logs access", ["logs", "access"] },
        { "logs dns", ["logs", "dns"] },
        { "logs execution", ["logs", "execution"] },
        { "logs function", ["logs", "function", "echo"] },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Verbs))]
    public async Task Verb_NoStacks_Exits3NamingCloisterUp(string verb, string[] args)
    {
        // Before: exec and path exited 2 (their bad-arguments code) with "No sandbox is running (...); start one with
        // 'cloister up'", status, outputs and invoke 1, the logs verbs 1 without a word about up.
        var (exitCode, output, error) = await _cli.RunAsync(args);

        Assert.True(exitCode == CliApplication.NotRunningExitCode, $"exit {exitCode}: {output}{error}");
        Assert.Empty(output);
        Assert.Equal($"cloister {verb}: no stacks are running in {_cli.State.Root}; start them with ./cloister up.", LastLine(error));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Verbs))]
    public async Task Verb_StacksComingUp_Exits3SayingToWait(string verb, string[] args)
    {
        // A host that answers but is still bringing the stacks up (its pid file written first, as HostRunner does).
        await using var host = ControlServer.Start(_cli.State.ControlSocket, (_, _) => Task.FromResult(new ControlResponse(false, ControlResponse.ComingUp)));
        await File.WriteAllTextAsync(HostRunner.PidPath(_cli.State), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var (exitCode, output, error) = await _cli.RunAsync(args);

        Assert.True(exitCode == CliApplication.NotRunningExitCode, $"exit {exitCode}: {output}{error}");
        Assert.Equal($"cloister {verb}: the stacks in {_cli.State.Root} are still coming up; wait for ./cloister up to say ready.", LastLine(error));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("access")]
    [InlineData("dns")]
    [InlineData("execution")]
    [InlineData("function", "echo")]
    public async Task Logs_StacksReadyWithoutLogs_Exits1WithoutNamingUp(params string[] args)
    {
        // Ready stacks that write none of these logs: 1, as before; only "nothing could have written any" is 3.
        var status = new StackStatus("ready", "eu-central-1", "clt-", false, Environment.ProcessId, DateTimeOffset.UtcNow, 1, [], [], [], [], []);
        await using var host = ControlServer.Start(_cli.State.ControlSocket, (_, _) => Task.FromResult(new ControlResponse(true, Status: status)));
        await File.WriteAllTextAsync(HostRunner.PidPath(_cli.State), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var (exitCode, output, error) = await _cli.RunAsync(["logs", .. args]);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}{error}");
        Assert.StartsWith("No ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cloister up", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Down_NoStacks_SaysNothingIsRunningAndSucceeds()
    {
        // down is done when nothing runs (as delete-stack of a stack that is gone succeeds): exit 0, not 3.
        var (exitCode, output, error) = await _cli.RunAsync("down");

        Assert.True(exitCode == 0, error);
        Assert.Equal($"Nothing is running in {_cli.State.Root}; nothing to take down.", output.Trim());
    }

    private static string LastLine(string text) => text.TrimEnd().ReplaceLineEndings("\n").Split('\n')[^1];
}
