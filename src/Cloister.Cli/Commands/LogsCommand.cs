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
}
