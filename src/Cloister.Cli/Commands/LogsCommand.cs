using System.CommandLine;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister logs</c>: the parent of the per-kind log verbs, one per module that writes logs.</summary>
internal static class LogsCommand
{
    /// <summary>Creates the verb with its subcommands.</summary>
    public static Command Create() => new("logs", "Print the logs AWS would keep, in AWS's formats: access, dns, function.")
    {
        LogsAccessCommand.Create(),
        LogsDnsCommand.Create(),
        LogsFunctionCommand.Create(),
    };

    /// <summary>
    /// What <c>--follow</c> says on standard error when nothing is written yet, as <c>tail -F</c> does: why there is
    /// nothing (<paramref name="noLogs"/>, the message that ends the verb without <c>--follow</c>) and that it waits.
    /// </summary>
    public static Task WaitingAsync(TextWriter error, string noLogs) =>
        error.WriteLineAsync($"{noLogs} Waiting for them to be written (Ctrl-C stops).");
}
