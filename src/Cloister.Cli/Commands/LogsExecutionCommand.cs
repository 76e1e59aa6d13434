using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs execution [NAME] [--follow]</c>: API Gateway execution logs (stages whose MethodSettings log ERROR or
/// INFO), one file per API and stage under <see cref="StatePaths.ExecutionLogs"/> in the function logs' JSON lines,
/// each event printed as <c>aws logs tail</c> prints it (<see cref="LogsFunctionCommand.Format"/>: time, log stream,
/// message). NAME may also be the log group AWS names, <c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>; otherwise
/// NAME and the messages are <c>logs access</c>'s (<see cref="StageLogsCommand"/>).
/// </summary>
internal static class LogsExecutionCommand
{
    private static readonly StageLogKind Kind = new(
        "execution",
        "execution log",
        "Print API Gateway execution logs (stages whose MethodSettings log ERROR or INFO) as aws logs tail prints them: time, log stream, message.",
        "An API id (every stage of it), API id and stage as {apiId}/{stage}, or the log group API-Gateway-Execution-Logs_{apiId}/{stage}. Leave it out for every API and stage, each line after its {apiId}/{stage}.",
        paths => paths.ExecutionLogs,
        LogsFunctionCommand.Format,
        line => LogTail.JsonTime(line, "timestamp"),
        "API-Gateway-Execution-Logs_")
    {
        Setting = "a stage's MethodSettings with LoggingLevel ERROR or INFO",
    };

    /// <summary>Creates the verb; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null) => StageLogsCommand.Create(Kind, state);
}
