using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Certificates;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Host.Status;
using Cloister.Network;

namespace Cloister.Host;

/// <summary>The sandbox's CloudWatch Logs, as the stack's callers reach it: its regional address and its interface endpoints.</summary>
public sealed partial class StackHost
{
    /// <summary>
    /// Serves CloudWatch Logs' JSON API over HTTPS on <c>logs.{region}.amazonaws.com</c> = 198.18.5.10 (a certificate
    /// from the sandbox CA for the name and the address) and on every <c>logs</c> interface endpoint's ENIs, over the
    /// files the stack's modules write: each function's group (<c>/aws/lambda/NAME</c>, or its <c>LoggingConfig.LogGroup</c>),
    /// the group each stage's access log setting names, each stage's execution log group (<c>API-Gateway-Execution-Logs_{apiId}/{stage}</c>,
    /// for a stage whose MethodSettings log and for any execution log file present), the group each Resolver query logging configuration names, and
    /// every <c>AWS::Logs::LogGroup</c> of the templates (with its <c>RetentionInDays</c>, <c>Tags</c> and <c>LogGroupClass</c>), listed even before anything writes to it. Callers are the
    /// stack's credentials, judged by their identity policies and by the policy of the <c>logs</c> endpoint they came through. Groups, streams and events
    /// callers create (CreateLogGroup, CreateLogStream, PutLogEvents) are kept under <c>{StatePaths.Logs}/cloudwatch</c>.
    /// </summary>
    private async Task StartLogsAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var (address, name, https, endpointListeners) = ListenRegionally(sandbox, authority, "logs", "logs", "CloudWatch Logs");
        var groups = LogGroups();
        var server = await LogsServer.StartAsync(
            new LogsOptions
            {
                HttpsSocket = https,
                EndpointListeners = endpointListeners,
                Certificate = authority.Issue([name], [address]),
                Account = _model.Account,
                Groups = groups,
                DataDirectory = Path.Combine(_state.Logs, "cloudwatch"),
                Access = StackAccess<LogsAccess>(sandbox, "logs", "logs"),
                LoggerFactory = _loggers,
            },
            cancellationToken).ConfigureAwait(false);
        _owned.Add(server);
        _services.Add(new ServiceInfo("logs", [$"https://{name}", $"{address}:443"], "ok"));
        Done("logs", $"{groups.Count} log group(s) on {name} and {endpointListeners.Count} interface endpoint address(es)");
    }

    /// <summary>The log groups of the stacks and the files of each (several writers may name one group).</summary>
    private List<LogGroupSource> LogGroups()
    {
        var created = _startedAt.ToUnixTimeMilliseconds();
        var files = new Dictionary<string, List<LogFileSource>>(StringComparer.Ordinal);
        var retention = new Dictionary<string, int?>(StringComparer.Ordinal);
        var tags = new Dictionary<string, ImmutableDictionary<string, string>>(StringComparer.Ordinal);
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string group, LogFileSource? file)
        {
            var list = files.TryGetValue(group, out var known) ? known : files[group] = [];
            if (file is not null)
            {
                list.Add(file);
            }
        }

        var resources = _loaded?.Stacks.SelectMany(s => s.Resources).ToList() ?? [];
        foreach (var declared in resources.Where(r => r.ResourceType == "AWS::Logs::LogGroup"))
        {
            Add(declared.PhysicalResourceId, null);
            retention[declared.PhysicalResourceId] = Property(declared.PropertiesJson, "RetentionInDays") is { } days
                && int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            tags[declared.PhysicalResourceId] = TagsOf(declared.PropertiesJson);
            if (Property(declared.PropertiesJson, "LogGroupClass") is { Length: > 0 } groupClass)
            {
                classes[declared.PhysicalResourceId] = groupClass;
            }
        }

        foreach (var function in _model.Functions)
        {
            var configured = resources
                .Where(r => r.ResourceType == "AWS::Lambda::Function" && r.PhysicalResourceId == function.FunctionName)
                .Select(r => Property(r.PropertiesJson, "LoggingConfig", "LogGroup"))
                .FirstOrDefault(g => !string.IsNullOrEmpty(g));
            Add(configured ?? "/aws/lambda/" + function.FunctionName, new LogFileSource(Path.Combine(_state.FunctionLogs, function.FunctionName + ".log"), LogFileFormat.EventLines));
        }

        foreach (var stage in _model.Stages)
        {
            if (stage.AccessLog is { } log && GroupOf(log.DestinationArn) is { } group)
            {
                // AWS names a stage's access log stream with an opaque hex id; Cloister's is a hash of the API and stage, so it stays put across restarts.
                var stream = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{stage.RestApiId}/{stage.StageName}")).AsSpan(0, 16));
                Add(group, new LogFileSource(Path.Combine(_state.AccessLogs, $"{stage.RestApiId}_{stage.StageName}.log"), LogFileFormat.PlainLines, stream));
            }
        }

        foreach (var (group, file) in ExecutionLogGroups.Find(_model.Stages, _state.ExecutionLogs))
        {
            Add(group, file);
        }

        foreach (var config in _model.QueryLogConfigs)
        {
            if (GroupOf(config.DestinationArn) is { } group)
            {
                Add(group, new LogFileSource(Path.Combine(_state.DnsLogs, config.Id + ".log"), LogFileFormat.QueryLogLines));
            }
        }

        return [.. files.Select(f => new LogGroupSource(f.Key, created, retention.GetValueOrDefault(f.Key), [.. f.Value])
        {
            Tags = tags.GetValueOrDefault(f.Key) ?? ImmutableDictionary<string, string>.Empty,
            Class = classes.GetValueOrDefault(f.Key, "STANDARD"),
        })];
    }

    /// <summary>The log group an ARN <c>arn:...:logs:...:log-group:NAME[:*]</c> names; null for other destinations (Firehose, S3).</summary>
    private static string? GroupOf(string arn)
    {
        const string Marker = ":log-group:";
        var at = arn.IndexOf(Marker, StringComparison.Ordinal);
        if (!arn.StartsWith("arn:", StringComparison.Ordinal) || at < 0)
        {
            return null;
        }

        var name = arn[(at + Marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    /// <summary>A resource's <c>Tags</c> (<c>[{"Key","Value"}]</c>) as a map; empty when it has none.</summary>
    private static ImmutableDictionary<string, string> TagsOf(string propertiesJson)
    {
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(propertiesJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Tags", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var tag in list.EnumerateArray())
                {
                    if (tag.ValueKind == JsonValueKind.Object
                        && tag.TryGetProperty("Key", out var key) && key.ValueKind == JsonValueKind.String
                        && tag.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        tags[key.GetString()!] = value.GetString()!;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return tags.ToImmutable();
    }

    /// <summary>A string or number property (at <paramref name="path"/>) of a resource's resolved properties; null when absent.</summary>
    private static string? Property(string propertiesJson, params string[] path)
    {
        try
        {
            using var document = JsonDocument.Parse(propertiesJson);
            var current = document.RootElement;
            foreach (var step in path)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
                {
                    return null;
                }
            }

            return current.ValueKind switch
            {
                JsonValueKind.String => current.GetString(),
                JsonValueKind.Number => current.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
