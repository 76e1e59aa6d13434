using System.CommandLine;
using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests;

public sealed class LogsAccessCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(StatePaths state, params string[] args)
    {
        var root = new RootCommand { LogsAccessCommand.Create(() => state) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(["access", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString() + error.ToString());
    }

    /// <summary>A fresh state folder with access log files ({apiId}_{stage}.log) holding the given text.</summary>
    private static async Task<StatePaths> WithLogsAsync(params (string Name, string Text)[] logs)
    {
        var state = new StatePaths(Path.Combine(Path.GetTempPath(), "cloister-cli-tests", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(state.AccessLogs);
        foreach (var (name, text) in logs)
        {
            await File.WriteAllTextAsync(Path.Combine(state.AccessLogs, name + ".log"), text);
        }

        return state;
    }

    [Fact]
    public async Task Invoke_ApiAndStage_PrintsThatStagesLines()
    {
        var state = await WithLogsAsync(("a1b2c3d4e5_dev", "line one\nline two\npartial"), ("zzzzzzzzzz_dev", "other\n"));
        try
        {
            var (exitCode, output) = await RunAsync(state, "a1b2c3d4e5/dev");
            var (allExit, all) = await RunAsync(state);

            Assert.Equal(0, exitCode);
            Assert.Equal("line one\nline two\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
            Assert.Equal(0, allExit);
            Assert.Equal("a1b2c3d4e5/dev line one\na1b2c3d4e5/dev line two\nzzzzzzzzzz/dev other\n", all.Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Invoke_FollowEveryStage_InterleavesLinesAsTheyArriveAfterTheirApiAndStage()
    {
        // Every API's log as one stream, as aws logs tail --follow shows a group's streams: in the order lines come.
        var state = await WithLogsAsync(("a1b2c3d4e5_dev", "old\n"), ("zzzzzzzzzz_prod", string.Empty));
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var interrupt = new CancellationTokenSource();
        var root = new RootCommand { LogsAccessCommand.Create(() => state) };
        var running = root.Parse(["access", "--follow"]).InvokeAsync(new InvocationConfiguration { Output = synchronized, Error = TextWriter.Null }, interrupt.Token);
        try
        {
            await WrittenAsync(synchronized, output, "a1b2c3d4e5/dev old\n");
            foreach (var (file, line, expected) in new[] { ("zzzzzzzzzz_prod", "first", "zzzzzzzzzz/prod first\n"), ("a1b2c3d4e5_dev", "second", "a1b2c3d4e5/dev second\n"), ("zzzzzzzzzz_prod", "third", "zzzzzzzzzz/prod third\n") })
            {
                await File.AppendAllTextAsync(Path.Combine(state.AccessLogs, file + ".log"), line + "\n");
                await WrittenAsync(synchronized, output, expected);
            }

            await interrupt.CancelAsync();

            Assert.Equal(0, await running);
            Assert.Equal("a1b2c3d4e5/dev old\nzzzzzzzzzz/prod first\na1b2c3d4e5/dev second\nzzzzzzzzzz/prod third\n", output.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            await interrupt.CancelAsync();
            await running;
            Directory.Delete(state.Root, recursive: true);
        }
    }

    /// <summary>Waits (up to 10 s) until what was written ends with <paramref name="expected"/>.</summary>
    private static async Task WrittenAsync(TextWriter synchronized, StringWriter output, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            string text;
            lock (synchronized)
            {
                text = output.ToString().ReplaceLineEndings("\n");
            }

            if (text.EndsWith(expected, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never wrote '{expected.Trim()}'; wrote: {text}");
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData("*")]
    [InlineData("a1b2c3d4e5/*")]
    [InlineData("a1b2?3d4e5")]
    [InlineData("../a1b2c3d4e5_dev")]
    public async Task Invoke_NameThatIsNoApiOrStage_RefusedPointingToNoName(string name)
    {
        // Before, the name went into the file pattern: '*' printed every stage's lines without saying whose they were.
        var state = await WithLogsAsync(("a1b2c3d4e5_dev", "line\n"));
        try
        {
            var (exitCode, output) = await RunAsync(state, name);

            Assert.Equal(2, exitCode);
            Assert.Equal(
                $"cloister logs access: '{name}' is no API id or {{apiId}}/{{stage}}; leave NAME out to print every API's and stage's access log, each line after its {{apiId}}/{{stage}}.",
                output.Trim());
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_UnknownApi_NamesItAndTheApisThatHaveLogs()
    {
        // Before: "No access logs under FOLDER", as if there were none at all.
        var state = await WithLogsAsync(("a1b2c3d4e5_dev", "line\n"), ("zzzzzzzzzz_prod", "line\n"));
        try
        {
            var (exitCode, output) = await RunAsync(state, "nosuchapi");

            Assert.Equal(1, exitCode);
            Assert.Equal($"No access logs of nosuchapi under {state.AccessLogs}; there are logs of a1b2c3d4e5/dev, zzzzzzzzzz/prod.", output.Trim());
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_NoLogs_FailsWithMessage()
    {
        var (exitCode, output) = await RunAsync(new StatePaths("/nonexistent-cloister"), "a1b2c3d4e5");

        Assert.Equal(CliApplication.NotRunningExitCode, exitCode);
        Assert.Contains("No access logs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_FollowBeforeAnyLog_SaysOnErrorWhatItWaitsFor()
    {
        // Before, --follow with no log of the API yet waited without a word.
        var state = new StatePaths("/nonexistent-cloister");

        var (exitCode, output, error) = await FollowRun.UntilErrorAsync(LogsAccessCommand.Create(() => state), "access", "a1b2c3d4e5/dev", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        Assert.Equal($"No access logs of a1b2c3d4e5/dev under {state.AccessLogs}. Waiting for them to be written (Ctrl-C stops).", error.Trim());
    }
}
