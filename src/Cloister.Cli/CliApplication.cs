using System.CommandLine;
using Cloister.Cli.Commands;

namespace Cloister.Cli;

/// <summary>Builds the <c>cloister</c> command tree and runs it. Each verb lives in its own file under <c>Commands/</c>.</summary>
internal static class CliApplication
{
    /// <summary>The root command with every verb registered.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Cloister runs the AWS private serverless API architecture on one Linux machine: VPCs, security groups, " +
            "Route 53 Resolver, a private API Gateway, Lambda functions and DynamoDB tables, for real, in a sandbox. " +
            "State lives in $CLOISTER_HOME (default ./" + Model.StatePaths.DefaultFolderName + "). A verb that needs running stacks exits " +
            $"{NotRunningExitCode} when there are none, naming what to run (./cloister up).");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(OutputsCommand.Create());
        root.Subcommands.Add(DownCommand.Create());
        root.Subcommands.Add(InvokeCommand.Create());
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(SessionCommand.Create());
        root.Subcommands.Add(PathCommand.Create());
        root.Subcommands.Add(PolicyEvalCommand.Create());
        root.Subcommands.Add(LogsCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StackHostCommand.Create());
        return root;
    }

    /// <summary>
    /// The exit code of <c>path</c>, <c>exec</c> and <c>policy eval</c> when their arguments are wrong, and of every verb for a
    /// mistyped verb or option (<see cref="ArgumentMistakes"/>).
    /// </summary>
    public const int BadArgumentsExitCode = 2;

    /// <summary>
    /// The exit code of every verb that needs ready stacks (<c>status</c>, <c>outputs</c>, <c>invoke</c>, <c>exec</c>,
    /// <c>path</c>, and the <c>logs</c> verbs when there are no logs) when none is: none runs, they are still coming up, or
    /// their host died. LSB's "program is not running" status; 1 and 2 already mean something to <c>path</c> (no path, bad
    /// arguments) and <c>exec</c> (its command's own exit code).
    /// </summary>
    public const int NotRunningExitCode = 3;

    /// <summary>The usage line of a verb that exits with <see cref="BadArgumentsExitCode"/> on bad arguments; null for the others.</summary>
    private static string? UsageOf(Command command) => command.Name switch
    {
        "path" => PathCommand.Usage,
        "exec" => ExecCommand.Usage,
        "session" => SessionCommand.Usage,
        "eval" => PolicyEvalCommand.Usage,
        _ => null,
    };

    /// <summary>Parses <paramref name="args"/> and runs the chosen verb, writing to the given streams.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 && UsageOf(parse.CommandResult.Command) is { } usage)
        {
            // These verbs give exit 1 a meaning (no path, Deny): a mistyped argument must not read as one.
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync(usage).ConfigureAwait(false);
            return BadArgumentsExitCode;
        }

        if (ArgumentMistakes.Of(parse) is { Count: > 0 } mistakes)
        {
            foreach (var mistake in mistakes)
            {
                await error.WriteLineAsync(mistake).ConfigureAwait(false);
            }

            return BadArgumentsExitCode;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parse.CommandResult.Command.Name == "up")
        {
            // Ctrl-C makes up tear down what it started; System.CommandLine would end the process after 2 s.
            configuration.ProcessTerminationTimeout = UpCommand.TeardownTimeout;
        }

        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }
}
