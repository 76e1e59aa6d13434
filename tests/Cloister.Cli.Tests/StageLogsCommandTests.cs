using System.CommandLine;
using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests;

/// <summary>
/// What <c>logs access</c> and <c>logs execution</c> share (<see cref="StageLogsCommand"/>): NAME refused when it is no
/// API id or stage, the messages and exit codes when nothing is logged; and the helpers both verbs' tests run them with.
/// </summary>
public sealed class StageLogsCommandTests
{
    /// <summary>The verb (<c>access</c>, <c>execution</c>) reading <paramref name="state"/>.</summary>
    internal static Command Verb(string verb, StatePaths state) =>
        verb == "access" ? LogsAccessCommand.Create(() => state) : LogsExecutionCommand.Create(() => state);

    /// <summary>Where the verb's files are.</summary>
    internal static string Folder(string verb, StatePaths state) => verb == "access" ? state.AccessLogs : state.ExecutionLogs;

    /// <summary>Runs the verb in process; its exit code and what it wrote (output, then error).</summary>
    internal static async Task<(int ExitCode, string Output)> RunAsync(string verb, StatePaths state, params string[] args)
    {
        var root = new RootCommand { Verb(verb, state) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse([verb, .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, (output.ToString() + error.ToString()).ReplaceLineEndings("\n"));
    }

    /// <summary>A fresh state folder with the verb's log files ({apiId}_{stage}.log) holding the given text.</summary>
    internal static async Task<StatePaths> WithLogsAsync(string verb, params (string Name, string Text)[] logs)
    {
        var state = new StatePaths(Path.Combine(Path.GetTempPath(), "cloister-cli-tests", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(Folder(verb, state));
        foreach (var (name, text) in logs)
        {
            await File.WriteAllTextAsync(Path.Combine(Folder(verb, state), name + ".log"), text);
        }

        return state;
    }

    [Theory]
    [InlineData("access", "*")]
    [InlineData("access", "a1b2c3d4e5/*")]
    [InlineData("access", "a1b2?3d4e5")]
    [InlineData("access", "../a1b2c3d4e5_dev")]
    [InlineData("execution", "*")]
    [InlineData("execution", "API-Gateway-Execution-Logs_*")]
    [InlineData("execution", "../a1b2c3d4e5_dev")]
    public async Task Invoke_NameThatIsNoApiOrStage_RefusedPointingToNoName(string verb, string name)
    {
        // Before, the name went into the file pattern: '*' printed every stage's lines without saying whose they were.
        var state = await WithLogsAsync(verb, ("a1b2c3d4e5_dev", "line\n"));
        try
        {
            var (exitCode, output) = await RunAsync(verb, state, name);

            Assert.Equal(2, exitCode);
            Assert.Equal(
                $"cloister logs {verb}: '{name}' is no API id or {{apiId}}/{{stage}}; leave NAME out to print every API's and stage's {verb} log, each line after its {{apiId}}/{{stage}}.",
                output.Trim());
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Theory]
    [InlineData("access")]
    [InlineData("execution")]
    public async Task Invoke_UnknownApi_NamesItAndTheApisThatHaveLogs(string verb)
    {
        // Before: "No access logs under FOLDER", as if there were none at all.
        var state = await WithLogsAsync(verb, ("a1b2c3d4e5_dev", "line\n"), ("zzzzzzzzzz_prod", "line\n"));
        try
        {
            var (exitCode, output) = await RunAsync(verb, state, "nosuchapi");

            Assert.Equal(1, exitCode);
            Assert.Equal($"No {verb} logs of nosuchapi under {Folder(verb, state)}; there are logs of a1b2c3d4e5/dev, zzzzzzzzzz/prod.", output.Trim());
        }
        finally
        {
            Directory.Delete(state.Root, recursive: true);
        }
    }

    [Theory]
    [InlineData("access")]
    [InlineData("execution")]
    public async Task Invoke_NoLogsAndNoStacks_NotRunningExitCode(string verb)
    {
        var (exitCode, output) = await RunAsync(verb, new StatePaths("/nonexistent-cloister"), "a1b2c3d4e5");

        Assert.Equal(CliApplication.NotRunningExitCode, exitCode);
        Assert.Contains($"No {verb} logs of a1b2c3d4e5 under /nonexistent-cloister", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access")]
    [InlineData("execution")]
    public async Task Invoke_FollowBeforeAnyLog_SaysOnErrorWhatItWaitsFor(string verb)
    {
        // Before, --follow with no log of the API yet waited without a word.
        var state = new StatePaths("/nonexistent-cloister");

        var (exitCode, output, error) = await FollowRun.UntilErrorAsync(Verb(verb, state), verb, "a1b2c3d4e5/dev", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        Assert.Equal($"No {verb} logs of a1b2c3d4e5/dev under {Folder(verb, state)}. Waiting for them to be written (Ctrl-C stops).", error.Trim());
    }
}
