using System.CommandLine;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs access [NAME] [--follow]</c>: API Gateway access log lines as the stages' formats wrote them, one
/// file per API and stage under <see cref="StatePaths.AccessLogs"/>; NAME and the messages as <see cref="StageLogsCommand"/> says.
/// </summary>
internal static class LogsAccessCommand
{
    private static readonly StageLogKind Kind = new(
        "access",
        "access log",
        "Print API Gateway access log lines (the stages' $context formats).",
        "An API id (every stage of it), or API id and stage as {apiId}/{stage}. Leave it out for every API and stage, each line after its {apiId}/{stage}.",
        paths => paths.AccessLogs,
        line => line,
        AccessLogTime.RequestTime)
    {
        Setting = "a stage's AccessLogSetting",
    };

    /// <summary>Creates the verb; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null) => StageLogsCommand.Create(Kind, state);
}
