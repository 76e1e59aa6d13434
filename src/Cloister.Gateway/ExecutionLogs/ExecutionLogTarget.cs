using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Cloister.Gateway.Pipeline.AccessControl;
using Cloister.Model.Api;

namespace Cloister.Gateway.ExecutionLogs;

/// <summary>
/// A stage's execution log: the file, the log stream its events carry, and each method's effective setting (the most
/// specific of the stage's MethodSettings, <c>/~1path/METHOD</c> over <c>*/*</c>), resolved once per catalog version.
/// </summary>
internal sealed class ExecutionLogTarget
{
    /// <summary>Makes stream names differ between gateway processes and stay the same within one (catalog swaps included).</summary>
    private static readonly string ProcessNonce = Guid.NewGuid().ToString("N");

    private readonly FrozenDictionary<(string, string), ExecutionLogSetting> _methods;

    private ExecutionLogTarget(string filePath, string streamName, FrozenDictionary<(string, string), ExecutionLogSetting> methods)
    {
        FilePath = filePath;
        StreamName = streamName;
        _methods = methods;
    }

    /// <summary><c>{StatePaths.ExecutionLogs}/{apiId}_{stage}.log</c>.</summary>
    public string FilePath { get; }

    /// <summary>32 hex digits, as AWS's execution log streams are named; one per gateway process and stage.</summary>
    public string StreamName { get; }

    /// <summary>The setting of a method of the stage's snapshot; <see cref="ExecutionLogLevel.Off"/> for one that logs nothing.</summary>
    public ExecutionLogSetting For(string resourcePath, string httpMethod) => _methods.GetValueOrDefault((resourcePath, httpMethod));

    /// <summary>The stage's execution log; null when no method of it logs (then requests pay nothing for it).</summary>
    public static ExecutionLogTarget? Compile(Stage stage, RestApi snapshot, string folder)
    {
        if (stage.MethodSettings.IsDefaultOrEmpty)
        {
            return null;
        }

        var methods = new Dictionary<(string, string), ExecutionLogSetting>();
        foreach (var resource in snapshot.Resources)
        {
            foreach (var method in resource.Methods)
            {
                // As on AWS, where a method override holds the whole set of settings: the most specific one decides.
                var setting = MethodSettings.For(stage.MethodSettings, resource.Path, method.HttpMethod, static _ => true);
                var level = Level(setting?.LoggingLevel);
                if (level != ExecutionLogLevel.Off)
                {
                    methods[(resource.Path, method.HttpMethod)] = new ExecutionLogSetting(level, setting!.DataTraceEnabled);
                }
            }
        }

        if (methods.Count == 0)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ProcessNonce}/{snapshot.Id}/{stage.StageName}"));
        return new ExecutionLogTarget(
            Path.Combine(folder, $"{snapshot.Id}_{stage.StageName}.log"),
            Convert.ToHexStringLower(hash.AsSpan(0, 16)),
            methods.ToFrozenDictionary());
    }

    private static ExecutionLogLevel Level(string? text) => text?.ToUpperInvariant() switch
    {
        "INFO" => ExecutionLogLevel.Info,
        "ERROR" => ExecutionLogLevel.Error,
        _ => ExecutionLogLevel.Off,
    };
}
