using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>One kind of per-stage API Gateway log <see cref="StageLogsCommand"/> prints.</summary>
/// <param name="Verb">The verb under <c>logs</c>: <c>access</c>, <c>execution</c>.</param>
/// <param name="What">What one file is, in messages: <c>access log</c>.</param>
/// <param name="Description">The verb's help line.</param>
/// <param name="NameDescription">NAME's help line.</param>
/// <param name="Folder">Where the files are.</param>
/// <param name="Format">How a line of a file is printed.</param>
/// <param name="TimeOf">The time a line carries, in Unix milliseconds, by which the files' lines are merged; null when it has none.</param>
/// <param name="GroupPrefix">The start of the kind's log group names (<c>{prefix}{apiId}/{stage}</c>), which NAME may also be; null: none.</param>
internal sealed record StageLogKind(string Verb, string What, string Description, string NameDescription, Func<StatePaths, string> Folder, Func<string, string> Format, Func<string, long?> TimeOf, string? GroupPrefix = null)
{
    /// <summary>What makes a stage write the kind's logs, in messages: <c>a stage's AccessLogSetting</c>.</summary>
    public required string Setting { get; init; }

    /// <summary>The API id or <c>{apiId}/{stage}</c> NAME gives (a log group name without its prefix).</summary>
    public string StageOf(string name) =>
        GroupPrefix is not null && name.StartsWith(GroupPrefix, StringComparison.Ordinal) ? name[GroupPrefix.Length..] : name;
}
