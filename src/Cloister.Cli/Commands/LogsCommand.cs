using System.CommandLine;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister logs</c>: the logs a sandbox writes, one subcommand per kind.</summary>
internal static class LogsCommand
{
    /// <summary>Creates the verb with the subcommands this build has.</summary>
    public static Command Create()
    {
        var command = new Command("logs", "Print logs written in the sandbox, in the formats AWS uses.");
        command.Subcommands.Add(LogsFunctionCommand.Create());
        return command;
    }
}
