using Cloister.Model.Api;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// API Gateway execution logs as CloudWatch Logs serves them: the gateway writes one file per API and stage,
/// <c>{apiId}_{stage}.log</c> under <c>StatePaths.ExecutionLogs</c>, in the function logs' JSON lines
/// (<see cref="LogFileFormat.EventLines"/>), and AWS names the group <c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>.
/// </summary>
public static class ExecutionLogGroups
{
    /// <summary>What every execution log group's name starts with.</summary>
    public const string Prefix = "API-Gateway-Execution-Logs_";

    /// <summary>The group of a stage's execution log, <c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>.</summary>
    public static string NameOf(string restApiId, string stageName) => $"{Prefix}{restApiId}/{stageName}";

    /// <summary>
    /// The execution log groups and their files: one for every stage a MethodSetting of which logs (<c>ERROR</c> or
    /// <c>INFO</c>), listed before its first request as AWS lists a group once logging is on, and one for every
    /// <c>{apiId}_{stage}.log</c> in <paramref name="folder"/> (a stage that logged before and logs no more, or is gone),
    /// as CloudWatch keeps a group after logging is turned off. API ids have no '_', stage names may.
    /// </summary>
    public static IReadOnlyList<(string Group, LogFileSource File)> Find(IEnumerable<Stage> stages, string folder)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var found = new SortedDictionary<string, LogFileSource>(StringComparer.Ordinal);
        void Add(string restApiId, string stageName) =>
            found.TryAdd(NameOf(restApiId, stageName), new LogFileSource(Path.Combine(folder, $"{restApiId}_{stageName}.log"), LogFileFormat.EventLines));

        foreach (var stage in stages.Where(s => s.MethodSettings.Any(m => m.WritesExecutionLogs)))
        {
            Add(stage.RestApiId, stage.StageName);
        }

        if (Directory.Exists(folder))
        {
            foreach (var name in Directory.GetFiles(folder, "*.log").Select(Path.GetFileNameWithoutExtension).OfType<string>())
            {
                if (name.IndexOf('_', StringComparison.Ordinal) is var at and > 0 && at < name.Length - 1)
                {
                    Add(name[..at], name[(at + 1)..]);
                }
            }
        }

        return [.. found.Select(f => (f.Key, f.Value))];
    }
}
