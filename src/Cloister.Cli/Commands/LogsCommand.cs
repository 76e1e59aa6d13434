using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister logs</c>: the parent of the per-kind log verbs, one per module that writes logs.</summary>
internal static class LogsCommand
{
    /// <summary>Creates the verb with its subcommands.</summary>
    public static Command Create() => new("logs", "Print the logs AWS would keep, in AWS's formats: access, dns, execution, function.")
    {
        LogsAccessCommand.Create(),
        LogsDnsCommand.Create(),
        LogsExecutionCommand.Create(),
        LogsFunctionCommand.Create(),
    };

    /// <summary>
    /// What <c>--follow</c> says on standard error when nothing is written yet, as <c>tail -F</c> does: why there is
    /// nothing (<paramref name="noLogs"/>, the message that ends the verb without <c>--follow</c>) and that it waits.
    /// </summary>
    public static Task WaitingAsync(TextWriter error, string noLogs) =>
        error.WriteLineAsync($"{noLogs} Waiting for them to be written (Ctrl-C stops).");

    /// <summary>
    /// When a verb printed nothing because every line is of an earlier run (before <paramref name="since"/>), says so on
    /// standard error, naming <c>--all-runs</c>, so an empty answer is not read as "nothing was logged".
    /// </summary>
    public static async Task OnlyOlderRunsAsync(string verb, string what, int printed, int older, long? since, TextWriter error)
    {
        if (printed == 0 && older > 0 && since is { } from)
        {
            var began = DateTimeOffset.FromUnixTimeMilliseconds(from).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            await error.WriteLineAsync($"cloister logs {verb}: no {what} since the running (or last) stacks came up at {began}; --all-runs prints the {older} of earlier runs.").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a verb that has nothing to print (without <c>--follow</c>): <paramref name="noLogs"/> and exit 1; but when
    /// there are no logs of any kind (<paramref name="noneAtAll"/>) and no stacks are ready, so nothing could have written
    /// any, also the line of every verb that needs running stacks (<c>cloister logs VERB: no stacks are running in DIR;
    /// start them with ./cloister up.</c>) and <see cref="CliApplication.NotRunningExitCode"/>. Logs of stacks taken down
    /// stay readable, as CloudWatch keeps a deleted stack's log groups.
    /// </summary>
    public static async Task<int> NothingToPrintAsync(string verb, StatePaths state, string noLogs, bool noneAtAll, TextWriter error, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync(noLogs).ConfigureAwait(false);
        if (!noneAtAll)
        {
            return 1;
        }

        var (_, problem, exitCode) = await StackChannel.ReadyStatusAsync(state, cancellationToken).ConfigureAwait(false);
        if (exitCode != CliApplication.NotRunningExitCode)
        {
            return 1;
        }

        await error.WriteLineAsync($"cloister logs {verb}: {problem}").ConfigureAwait(false);
        return exitCode;
    }
}
