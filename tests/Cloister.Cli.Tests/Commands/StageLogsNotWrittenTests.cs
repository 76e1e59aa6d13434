using Cloister.Cli.Commands;

namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// <c>logs execution</c> and <c>logs access</c> on a running stack whose API's stage writes neither log
/// (<c>samples/private-dns-alb</c>): they say what makes a stage write them.
/// </summary>
public sealed class StageLogsNotWrittenTests : IAsyncLifetime
{
    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    [Fact(Timeout = 300_000)]
    public async Task Logs_RunningApiWhoseStageLogsNothing_SaysWhatMakesAStageWriteThem()
    {
        // Before: "No execution logs under …" alone; with an earlier run's access log, only "no access log lines since the
        // running (or last) stacks came up …; --all-runs prints the 1 of earlier runs", as if the requests had not arrived yet.
        var template = Path.Combine(StackTemplates.RepositoryRoot(), "samples", "private-dns-alb", "template.yaml");
        var up = await _cli.RunAsync("up", "--detach", "--region", "eu-central-1", template);
        Assert.True(up.ExitCode == 0, up.Output + up.Error);
        var api = (await _cli.RunAsync("outputs", "--json")).Output.Split("https://")[2].Split('.')[0];

        var execution = await _cli.RunAsync("logs", "execution");
        Directory.CreateDirectory(_cli.State.AccessLogs);
        await File.WriteAllTextAsync(Path.Combine(_cli.State.AccessLogs, "zzzzzzzzzz_dev.log"), """{"requestTime":"25/Nov/2020:06:00:00 +0000"}""" + "\n");
        var access = await _cli.RunAsync("logs", "access");

        Assert.Equal(1, execution.ExitCode);
        Assert.Equal(
            $"No execution logs under {_cli.State.ExecutionLogs}. No stage of the running stacks' API(s) {api} writes execution logs; that takes a stage's MethodSettings with LoggingLevel ERROR or INFO.",
            execution.Error.Trim());
        Assert.Equal(0, access.ExitCode);
        Assert.Empty(access.Output);
        Assert.StartsWith(
            $"cloister logs access: No stage of the running stacks' API(s) {api} writes access logs; that takes a stage's AccessLogSetting.\n",
            access.Error.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
        Assert.Contains("--all-runs prints the 1 of earlier runs.", access.Error, StringComparison.Ordinal);
    }
}
