using System.CommandLine;
using Cloister.Cli.Commands;

namespace Cloister.Cli.Tests;

public sealed class LogsAccessCommandTests
{
    [Fact]
    public async Task Invoke_ApiAndStage_PrintsThatStagesLines()
    {
        var state = await StageLogsCommandTests.WithLogsAsync("access", ("a1b2c3d4e5_dev", "line one\nline two\npartial"), ("zzzzzzzzzz_dev", "other\n"));
        try
        {
            var (exitCode, output) = await StageLogsCommandTests.RunAsync("access", state, "a1b2c3d4e5/dev");
            var (allExit, all) = await StageLogsCommandTests.RunAsync("access", state);

            Assert.Equal(0, exitCode);
            Assert.Equal("line one\nline two\n", output);
            Assert.Equal(0, allExit);
            Assert.Equal("a1b2c3d4e5/dev line one\na1b2c3d4e5/dev line two\nzzzzzzzzzz/dev other\n", all);
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
        var state = await StageLogsCommandTests.WithLogsAsync("access", ("a1b2c3d4e5_dev", "old\n"), ("zzzzzzzzzz_prod", string.Empty));
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var interrupt = new CancellationTokenSource();
        var root = new RootCommand { LogsAccessCommand.Create(() => state) };
        var running = root.Parse(["access", "--follow"]).InvokeAsync(new InvocationConfiguration { Output = synchronized, Error = TextWriter.Null }, interrupt.Token);
        try
        {
            await FollowRun.WrittenAsync(synchronized, output, "a1b2c3d4e5/dev old\n");
            foreach (var (file, line, expected) in new[] { ("zzzzzzzzzz_prod", "first", "zzzzzzzzzz/prod first\n"), ("a1b2c3d4e5_dev", "second", "a1b2c3d4e5/dev second\n"), ("zzzzzzzzzz_prod", "third", "zzzzzzzzzz/prod third\n") })
            {
                await File.AppendAllTextAsync(Path.Combine(state.AccessLogs, file + ".log"), line + "\n");
                await FollowRun.WrittenAsync(synchronized, output, expected);
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
}
