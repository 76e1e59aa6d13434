using System.CommandLine;
using Cloister.Cli.Commands;

namespace Cloister.Cli.Tests;

public sealed class LogsExecutionCommandTests
{
    private const string First = """{"timestamp":1700000000123,"logStreamName":"0123456789abcdef0123456789abcdef","message":"(r1) Extended Request Id: x1"}""";
    private const string Second = """{"timestamp":1700000001000,"logStreamName":"0123456789abcdef0123456789abcdef","message":"(r1) Method completed with status: 200"}""";
    private const string Other = """{"timestamp":1700000002000,"logStreamName":"fedcba9876543210fedcba9876543210","message":"(r2) Execution failed due to configuration error: Invalid permissions on Lambda function"}""";
    private const string FirstPrinted = "2023-11-14T22:13:20.123000+00:00 0123456789abcdef0123456789abcdef (r1) Extended Request Id: x1";
    private const string SecondPrinted = "2023-11-14T22:13:21.000000+00:00 0123456789abcdef0123456789abcdef (r1) Method completed with status: 200";
    private const string OtherPrinted = "2023-11-14T22:13:22.000000+00:00 fedcba9876543210fedcba9876543210 (r2) Execution failed due to configuration error: Invalid permissions on Lambda function";

    [Theory]
    [InlineData("a1b2c3d4e5/dev")]
    [InlineData("a1b2c3d4e5_dev")]
    [InlineData("API-Gateway-Execution-Logs_a1b2c3d4e5/dev")]
    public async Task Invoke_StageOrItsLogGroup_PrintsItsEventsAsAwsLogsTailDoes(string name)
    {
        var state = await StageLogsCommandTests.WithLogsAsync("execution", ("a1b2c3d4e5_dev", $"{First}\n{Second}\n{{\"timestamp\":17"), ("zzzzzzzzzz_dev", Other + "\n"));
        try
        {
            var (exitCode, output) = await StageLogsCommandTests.RunAsync("execution", state, name);

            Assert.Equal(0, exitCode);
            Assert.Equal($"{FirstPrinted}\n{SecondPrinted}\n", output);
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_NoName_EveryStagesEventsEachAfterItsApiAndStage()
    {
        var state = await StageLogsCommandTests.WithLogsAsync("execution", ("a1b2c3d4e5_dev", First + "\n"), ("zzzzzzzzzz_my_stage", Other + "\n"));
        try
        {
            var (exitCode, output) = await StageLogsCommandTests.RunAsync("execution", state);

            Assert.Equal(0, exitCode);
            Assert.Equal($"a1b2c3d4e5/dev {FirstPrinted}\nzzzzzzzzzz/my_stage {OtherPrinted}\n", output);
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Invoke_Follow_PrintsAnEventWrittenLater()
    {
        var state = await StageLogsCommandTests.WithLogsAsync("execution", ("a1b2c3d4e5_dev", First + "\n"));
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var interrupt = new CancellationTokenSource();
        var root = new RootCommand { LogsExecutionCommand.Create(() => state) };
        var running = root.Parse(["execution", "a1b2c3d4e5", "--follow"]).InvokeAsync(new InvocationConfiguration { Output = synchronized, Error = TextWriter.Null }, interrupt.Token);
        try
        {
            await FollowRun.WrittenAsync(synchronized, output, FirstPrinted + "\n");
            await File.AppendAllTextAsync(Path.Combine(state.ExecutionLogs, "a1b2c3d4e5_dev.log"), Second + "\n");
            await FollowRun.WrittenAsync(synchronized, output, SecondPrinted + "\n");
            await interrupt.CancelAsync();

            Assert.Equal(0, await running);
            Assert.Equal($"{FirstPrinted}\n{SecondPrinted}\n", output.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            await interrupt.CancelAsync();
            await running;
            Directory.Delete(state.Root, recursive: true);
        }
    }
}
