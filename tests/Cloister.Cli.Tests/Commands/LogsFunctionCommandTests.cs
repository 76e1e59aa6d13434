using System.CommandLine;
using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests.Commands;

public sealed class LogsFunctionCommandTests
{
    [Fact]
    public void Format_LogEvent_PrintsTimeStreamAndMessage()
    {
        var line = """{"timestamp":1700000000123,"logStreamName":"2023/11/14/[$LATEST]abc","message":"START RequestId: 1 Version: $LATEST"}""";

        var formatted = LogsFunctionCommand.Format(line);

        Assert.Equal("2023-11-14T22:13:20.123000+00:00 2023/11/14/[$LATEST]abc START RequestId: 1 Version: $LATEST", formatted);
    }

    [Theory]
    [InlineData("createClaim", "createClaim")]
    [InlineData("/aws/lambda/createClaim", "createClaim")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim", "createClaim")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim:live", "createClaim")]
    [InlineData("../host", null)]
    [InlineData("a/b", null)]
    [InlineData("", null)]
    [InlineData("/aws/lambda/", null)]
    public void FunctionName_WhatTheUserGave_TheFunctionsNameOrNull(string given, string? expected)
    {
        Assert.Equal(expected, LogsFunctionCommand.FunctionName(given));
    }

    [Fact]
    public async Task PrintAsync_FileWithEvents_PrintsEachInOrder()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path,
                """{"timestamp":1,"logStreamName":"s","message":"one"}""" + "\n" +
                """{"timestamp":2,"logStreamName":"s","message":"two"}""" + "\n");
            using var output = new StringWriter();

            await LogsFunctionCommand.PrintAsync(path, follow: false, output, CancellationToken.None);

            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.EndsWith(" s one", lines[0], StringComparison.Ordinal);
            Assert.EndsWith(" s two", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PrintAsync_Follow_PrintsEventsWrittenLater()
    {
        var path = Path.GetTempFileName();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var output = new StringWriter();
        var printing = LogsFunctionCommand.PrintAsync(path, follow: true, TextWriter.Synchronized(output), cancel.Token);
        try
        {
            await File.AppendAllTextAsync(path, """{"timestamp":1,"logStreamName":"s","message":"later"}""" + "\n");
            while (!output.ToString().Contains("later", StringComparison.Ordinal) && !cancel.IsCancellationRequested)
            {
                await Task.Delay(20);
            }

            Assert.Contains(" s later", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await cancel.CancelAsync();
            await printing;
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Invoke_FollowBeforeAnyLog_SaysOnErrorWhatItWaitsFor()
    {
        // Before, --follow on a function not yet invoked waited without a word.
        var state = new StatePaths("/nonexistent-cloister");

        var (exitCode, output, error) = await FollowRun.UntilErrorAsync(LogsFunctionCommand.Create(() => state), "function", "echo", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        Assert.Equal($"No logs for function echo ({Path.Combine(state.FunctionLogs, "echo.log")}); no function has written logs yet. Waiting for them to be written (Ctrl-C stops).", error.Trim());
    }

    [Fact]
    public async Task Invoke_FunctionWithoutLogs_SaysSoAndListsTheFunctionsThatHaveLogs()
    {
        // Before, only "No logs for function X": a mistyped name or a function not yet invoked looked alike.
        var state = new StatePaths(Path.Combine(Path.GetTempPath(), "cloister-cli-fnlogs-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(state.FunctionLogs);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(state.FunctionLogs, "listClaims.log"), string.Empty);
            await File.WriteAllTextAsync(Path.Combine(state.FunctionLogs, "createClaim.log"), string.Empty);
            var root = new RootCommand { LogsFunctionCommand.Create(() => state) };
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await root.Parse(["function", "createclaim"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

            Assert.Equal(1, exitCode);
            Assert.Empty(output.ToString());
            Assert.Equal(
                $"No logs for function createclaim ({Path.Combine(state.FunctionLogs, "createclaim.log")}); there are logs of createClaim, listClaims.",
                error.ToString().Trim());
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_NoFunctionHasLogs_SaysNoneHas()
    {
        var state = new StatePaths("/nonexistent-cloister");
        var root = new RootCommand { LogsFunctionCommand.Create(() => state) };
        using var error = new StringWriter();

        var exitCode = await root.Parse(["function", "echo"]).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.Equal(CliApplication.NotRunningExitCode, exitCode);
        Assert.Equal(
            $"No logs for function echo ({Path.Combine(state.FunctionLogs, "echo.log")}); no function has written logs yet.\n" +
            $"cloister logs function: no stacks are running in {state.Root}; start them with ./cloister up.",
            error.ToString().Trim().ReplaceLineEndings("\n"));
    }
}
