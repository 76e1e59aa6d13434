using System.CommandLine;

namespace Cloister.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_Version_PrintsVersionAndRuntime()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^cloister \d+\.\d+\.\d+ \(\.NET \d+\.\d+\.\d+\)", output);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryVerb()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var verb in CliApplication.Build().Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
        {
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }

    /// <summary>Every verb and sub-verb a user can ask <c>--help</c> of, as the words typed (<c>logs access</c>).</summary>
    public static TheoryData<string> Verbs()
    {
        var verbs = new TheoryData<string>();
        void Add(Command command, string path)
        {
            foreach (var verb in command.Subcommands.Where(c => !c.Hidden))
            {
                verbs.Add((path + " " + verb.Name).Trim());
                Add(verb, path + " " + verb.Name);
            }
        }

        Add(CliApplication.Build(), string.Empty);
        return verbs;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task RunAsync_VerbHelp_DescribesTheVerbAndNamesEveryOptionAndArgument(string verb)
    {
        var command = verb.Split(' ').Aggregate((Command)CliApplication.Build(), (parent, name) => parent.Subcommands.Single(c => c.Name == name));

        var (exitCode, output, _) = await CliRunner.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains(command.Description!, Unwrapped(output), StringComparison.Ordinal);
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            Assert.Contains(option.Name, output, StringComparison.Ordinal);
            Assert.All(option.Aliases, alias => Assert.Contains(alias, output, StringComparison.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{verb} {option.Name} has no description");
        }

        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            Assert.Contains($"<{argument.Name}>", output, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(argument.Description), $"{verb} <{argument.Name}> has no description");
        }
    }

    [Theory]
    [InlineData("exec", "cloister exec --from HOST -- CMD [ARG...]", "Required.")]
    [InlineData("session", "Start a Session Manager session on an instance (aws ssm start-session): refused unless the instance is a managed node whose SSM Agent is online and connected", "its logical id, Name tag, id (i-...) or address")]
    [InlineData("path", "Exit 0 path found, 1 none, 2 bad arguments.", "Required. TARGET[:PORT]")]
    [InlineData("policy eval", "Exit 0 Allow, 1 deny, 2 malformed", "Required. The policy document")]
    [InlineData("up", "without --detach stay until Ctrl-C, then take everything down", "repeat for several")]
    [InlineData("outputs", "Outputs", "\"StackId\",\"StackStatus\"")]
    [InlineData("logs access", "access log lines", "Leave it out for every API and stage")]
    [InlineData("logs execution", "as aws logs tail prints them: time, log stream, message", "or the log group API-Gateway-Execution-Logs_{apiId}/{stage}")]
    public async Task RunAsync_VerbHelp_SaysWhatTheVerbReallyTakesAndExitsWith(string verb, string description, string option)
    {
        // Before: exec's and path's help made --from (and path's --to) look optional, never named exit codes, and
        // outputs --json left out StackId and StackStatus, which it prints.
        var (_, output, _) = await CliRunner.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Contains(description, Unwrapped(output), StringComparison.Ordinal);
        Assert.Contains(option, Unwrapped(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RootHelp_NamesTheStateFolderAndTheNotRunningExitCode()
    {
        var (_, output, _) = await CliRunner.RunAsync("--help");

        Assert.Contains("$CLOISTER_HOME (default ./.cloister)", Unwrapped(output), StringComparison.Ordinal);
        Assert.Contains($"exits {CliApplication.NotRunningExitCode} when there are none, naming what to run (./cloister up)", Unwrapped(output), StringComparison.Ordinal);
    }

    /// <summary>The help with the line breaks and indentation its layout adds between words undone.</summary>
    private static string Unwrapped(string help) => System.Text.RegularExpressions.Regex.Replace(help, @"\s*\n\s*", " ");

    [Fact]
    public async Task RunAsync_UnknownVerb_FailsWithError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("teleport");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("teleport", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invok listClaims", "cloister: 'invok' is not a verb; the verbs are version, up, deploy, status, outputs, down, invoke, exec, session, path, policy, logs, serve (cloister --help describes them).")]
    [InlineData("logs acess", "cloister logs: 'acess' is not a verb; the verbs are access, dns, execution, function (cloister logs --help describes them).")]
    [InlineData("--verison", "cloister: unknown option '--verison'; cloister --help describes the verbs (version, up, deploy, status, outputs, down, invoke, exec, session, path, policy, logs, serve) and options.")]
    [InlineData("up samples/vpc-link-nlb/template.yaml --detatch", "cloister up: unknown option '--detatch'; its options are --param, --region, --detach, --ignore-unsupported (cloister up --help describes them).")]
    [InlineData("logs access --follw", "cloister logs access: unknown option '--follw'; its options are --follow, --all-runs (cloister logs access --help describes them).")]
    [InlineData("invoke listClaims -payload {}", "cloister invoke: unknown option '-payload'; its options are --payload, --invocation-type (cloister invoke --help describes them).")]
    public async Task RunAsync_MistypedVerbOrOption_NamesItAndWhatTheVerbTakesOnStandardErrorAndExits2(string typed, string expected)
    {
        // Before: a mistyped verb got "Required command was not provided." and the whole help on standard output, exit 1;
        // up took "--detatch" for a template ("no such template file"), logs access "--follw" for an API id, both exit 1.
        var (exitCode, output, error) = await CliRunner.RunAsync(typed.Split(' '));

        Assert.Equal(CliApplication.BadArgumentsExitCode, exitCode);
        Assert.Equal(expected, error.TrimEnd());
        Assert.Empty(output);
    }

    [Fact]
    public void ArgumentMistakes_OptionsAfterTheDoubleDash_AreTheCommandsOwn()
    {
        var parse = CliApplication.Build().Parse(["exec", "--from", "Laptop", "--", "curl", "--fail", "-s", "https://example.com"]);

        Assert.Empty(Cloister.Cli.Commands.ArgumentMistakes.Of(parse));
    }
}
