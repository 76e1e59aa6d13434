using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Run Command for <c>AWS-RunShellScript</c>: SendCommand to online managed nodes, ListCommands,
/// ListCommandInvocations and GetCommandInvocation with what each instance's agent reported, and CancelCommand.
/// </summary>
internal sealed partial class SsmHandler
{
    /// <summary>The one document served.</summary>
    public const string RunShellScript = "AWS-RunShellScript";

    /// <summary>The plugin of <c>AWS-RunShellScript</c>, as invocations name it.</summary>
    public const string RunShellScriptPlugin = "aws:runShellScript";

    /// <summary>GetCommandInvocation answers the first 24,000 characters of each stream (the rest goes to S3 on AWS).</summary>
    public const int MaxInvocationOutput = SsmAgentClient.MaxOutput;

    /// <summary>GetCommandInvocation answers the first 8,000 characters of the standard error, AWS's limit for it.</summary>
    public const int MaxInvocationError = 8_000;

    /// <summary>ListCommandInvocations' <c>Output</c> (with <c>Details</c>) is the first 2,500 characters.</summary>
    private const int MaxListedOutput = 2_500;

    private const int MaxTargets = 50;
    private const int MaxComment = 100;
    private const string DocumentNamePattern = "^[a-zA-Z0-9_\\-.:/]{3,128}$";
    private const string MaxConcurrencyPattern = "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$";
    private const string MaxErrorsPattern = "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$";
    private const string LogGroupNamePattern = "[\\.\\-_/#A-Za-z0-9]+";

    /// <summary>The parameters <c>AWS-RunShellScript</c> declares; any other is <c>InvalidParameters</c>.</summary>
    private static readonly string[] RunShellScriptParameters = ["commands", "workingDirectory", "executionTimeout"];
    private const int DefaultExecutionTimeout = 3600;
    private const int DefaultDeliveryTimeout = 3600;

    private byte[] SendCommand(SsmCall call)
    {
        // The request's shape first, as AWS checks it before anything it names (ValidationException, AWS's patterns).
        var document = call.Required("DocumentName");
        call.Matching("DocumentName", DocumentNamePattern);
        var comment = call.Matching("Comment", pattern: null, maximum: MaxComment);
        var maxConcurrency = call.Matching("MaxConcurrency", MaxConcurrencyPattern, maximum: 7);
        var maxErrors = call.Matching("MaxErrors", MaxErrorsPattern, maximum: 7);
        var bucket = call.Matching("OutputS3BucketName", pattern: null, maximum: 63, minimum: 3);
        var (cloudWatchEnabled, logGroup) = CloudWatchOutput(call, document);
        var listed = call.Strings("InstanceIds", MaxTargets);
        var targets = Targets(call);
        var deliveryTimeout = call.Int("TimeoutSeconds", 30, 2_592_000) ?? DefaultDeliveryTimeout;
        if ((listed is null) == (targets is null))
        {
            throw SsmException.Validation("Either InstanceIds or Targets must be specified, but not both.");
        }

        if (document != RunShellScript)
        {
            // An AWS document the sandbox does not run is named; any other name is a document no account has, which
            // AWS answers with no message.
            throw new SsmException("InvalidDocument", document.StartsWith("AWS-", StringComparison.Ordinal) ? $"Document {document} is not served: Cloister runs {RunShellScript} only." : string.Empty);
        }

        var parameters = !call.Input.TryGetProperty("Parameters", out var p) || p.ValueKind == JsonValueKind.Null ? default
            : p.ValueKind == JsonValueKind.Object ? p
            : throw new SsmException("SerializationException", "Parameters must be a map of lists of strings.");
        if (parameters.ValueKind == JsonValueKind.Object
            && parameters.EnumerateObject().Select(m => m.Name).FirstOrDefault(n => !RunShellScriptParameters.Contains(n, StringComparer.Ordinal)) is { } undeclared)
        {
            throw new SsmException("InvalidParameters", $"Parameter \"{undeclared}\" is not declared by {RunShellScript} (it takes commands, workingDirectory, executionTimeout).");
        }

        var commands = ParameterValues(parameters, "commands");
        if (commands.IsDefaultOrEmpty)
        {
            throw new SsmException("InvalidParameters", "Parameter \"commands\" is required.");
        }

        var workingDirectory = ParameterValues(parameters, "workingDirectory") is { IsDefaultOrEmpty: false } w && w[0].Length > 0 ? w[0] : null;
        var executionTimeout = ParameterValues(parameters, "executionTimeout") is { IsDefaultOrEmpty: false } e
            ? int.TryParse(e[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 172_800 && e.Length == 1
                ? seconds
                : throw new SsmException("InvalidParameters", "Parameter \"executionTimeout\" must be a whole number of seconds from 1 to 172800.")
            : DefaultExecutionTimeout;
        if (bucket is not null)
        {
            // The sandbox serves no S3, so no bucket exists to write the output to.
            throw new SsmException("InvalidOutputFolder", $"The S3 bucket {bucket} doesn't exist (Cloister serves no S3).");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var instances = listed ?? Resolve(targets!, now);
        foreach (var instance in instances)
        {
            Authorize(call, "SendCommand", InstanceArn(instance));
        }

        Authorize(call, "SendCommand", DocumentArn(document));
        var offline = instances.Where(i => !nodes.IsOnline(i, now)).Distinct(StringComparer.Ordinal).ToList();
        if (offline.Count > 0)
        {
            throw new SsmException("InvalidInstanceId", $"Instances [[{string.Join(", ", offline)}]] not in a valid state for account {account.AccountId}");
        }

        var command = new RunCommand(
            Guid.NewGuid().ToString(), document, comment, commands, workingDirectory, executionTimeout, deliveryTimeout,
            [.. instances.Distinct(StringComparer.Ordinal)], now, targets, maxConcurrency, maxErrors, cloudWatchEnabled, logGroup);
        commandStore.Add(command);
        return Json(writer => WriteCommand(writer, command, commandStore.Invocations(command), "Command"));
    }

    /// <summary>
    /// SendCommand's <c>CloudWatchOutputConfig</c>: whether it asks for the output in CloudWatch Logs, and the log
    /// group (<c>/aws/ssm/{document}</c> when it names none, as the agent's default). Kept and answered; the sandbox's
    /// agent does not write there (docs/ssm.md).
    /// </summary>
    private static (bool Enabled, string? LogGroup) CloudWatchOutput(SsmCall call, string document)
    {
        if (!call.Input.TryGetProperty("CloudWatchOutputConfig", out var config) || config.ValueKind == JsonValueKind.Null)
        {
            return (false, null);
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw new SsmException("SerializationException", "CloudWatchOutputConfig has the wrong type.");
        }

        var inner = call with { Input = config };
        var group = inner.Matching("CloudWatchLogGroupName", LogGroupNamePattern, maximum: 512, minimum: 1);
        var enabled = inner.Bool("CloudWatchOutputEnabled");
        return (enabled, enabled ? group ?? $"/aws/ssm/{document}" : group);
    }

    private byte[] ListCommands(SsmCall call)
    {
        var commandId = call.String("CommandId");
        var instanceId = call.String("InstanceId");
        var limit = call.Int("MaxResults", 1, 50) ?? 50;
        var token = call.String("NextToken");
        var filter = CommandFilters(call, forInvocations: false);
        Authorize(call, "ListCommands", AccountResources());
        var matching = commandStore.Commands()
            .Where(c => (commandId is null || c.CommandId == commandId) && (instanceId is null || c.InstanceIds.Contains(instanceId)))
            .ToList();
        if (commandId is not null && matching.Count == 0)
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        // A command's status is its invocations'; DeliveryTimedOut and ExecutionTimedOut look at each of them.
        matching = [.. matching.Where(c =>
        {
            var invocations = commandStore.Invocations(c);
            var (status, details) = CommandStore.StatusOf(invocations, CommandStore.AllowedErrors(c));
            return filter(c, null, status) || filter(c, null, details) || invocations.Exists(i => filter(c, i, status));
        })];

        var (page, next) = Offset(matching, token, limit);
        return PageJson("Commands", page, next, (writer, command) =>
        {
            WriteCommand(writer, command, commandStore.Invocations(command), name: null);
        });
    }

    private byte[] ListCommandInvocations(SsmCall call)
    {
        var commandId = call.String("CommandId");
        var instanceId = call.String("InstanceId");
        var details = call.Bool("Details");
        var limit = call.Int("MaxResults", 1, 50) ?? 50;
        var token = call.String("NextToken");
        var filter = CommandFilters(call, forInvocations: true);
        Authorize(call, "ListCommandInvocations", AccountResources());
        var commands = commandStore.Commands().Where(c => commandId is null || c.CommandId == commandId).ToList();
        if (commandId is not null && commands.Count == 0)
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        var matching = commands
            .SelectMany(c => commandStore.Invocations(c).Where(i => (instanceId is null || i.InstanceId == instanceId) && filter(c, i, i.Status)).Select(i => (Command: c, Invocation: i)))
            .ToList();
        var (page, next) = Offset(matching, token, limit);
        return PageJson("CommandInvocations", page, next, (writer, item) =>
        {
            var (command, invocation) = item;
            writer.WriteStartObject();
            writer.WriteString("CommandId", command.CommandId);
            writer.WriteString("InstanceId", invocation.InstanceId);
            writer.WriteString("InstanceName", string.Empty);
            writer.WriteString("Comment", command.Comment ?? string.Empty);
            writer.WriteString("DocumentName", command.DocumentName);
            writer.WriteString("DocumentVersion", "$DEFAULT");
            writer.WriteNumber("RequestedDateTime", Seconds(command.RequestedMilliseconds));
            writer.WriteString("Status", invocation.Status);
            writer.WriteString("StatusDetails", invocation.StatusDetails);
            writer.WriteString("StandardOutputUrl", string.Empty);
            writer.WriteString("StandardErrorUrl", string.Empty);
            writer.WriteStartArray("CommandPlugins");
            if (details)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", RunShellScriptPlugin);
                writer.WriteString("Status", invocation.Status);
                writer.WriteString("StatusDetails", invocation.StatusDetails);
                writer.WriteNumber("ResponseCode", invocation.ResponseCode);
                if (invocation.StartMilliseconds is { } started)
                {
                    writer.WriteNumber("ResponseStartDateTime", Seconds(started));
                }

                if (invocation.EndMilliseconds is { } ended)
                {
                    writer.WriteNumber("ResponseFinishDateTime", Seconds(ended));
                }

                writer.WriteString("Output", Truncate(invocation.StandardOutput + invocation.StandardError, MaxListedOutput));
                writer.WriteString("StandardOutputUrl", string.Empty);
                writer.WriteString("StandardErrorUrl", string.Empty);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("ServiceRole", string.Empty);
            writer.WriteEndObject();
        });
    }

    private byte[] GetCommandInvocation(SsmCall call)
    {
        var commandId = call.Required("CommandId");
        var instanceId = call.Required("InstanceId");
        var plugin = call.String("PluginName");
        Authorize(call, "GetCommandInvocation", AccountResources());
        if (commandStore.Find(commandId) is not { } command)
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        if (plugin is not null && plugin != RunShellScriptPlugin)
        {
            throw new SsmException("InvalidPluginName", string.Empty);
        }

        var invocation = commandStore.Invocation(commandId, instanceId) ?? throw new SsmException("InvocationDoesNotExist", string.Empty);
        return Json(writer =>
        {
            writer.WriteString("CommandId", commandId);
            writer.WriteString("InstanceId", instanceId);
            writer.WriteString("Comment", command.Comment ?? string.Empty);
            writer.WriteString("DocumentName", command.DocumentName);
            writer.WriteString("DocumentVersion", "$DEFAULT");
            writer.WriteString("PluginName", RunShellScriptPlugin);
            writer.WriteNumber("ResponseCode", invocation.ResponseCode);
            writer.WriteString("ExecutionStartDateTime", invocation.StartMilliseconds is { } s ? Timestamp(s) : string.Empty);
            writer.WriteString("ExecutionElapsedTime", invocation is { StartMilliseconds: { } a, EndMilliseconds: { } b } ? string.Create(CultureInfo.InvariantCulture, $"PT{(b - a) / 1000.0:0.###}S") : string.Empty);
            writer.WriteString("ExecutionEndDateTime", invocation.EndMilliseconds is { } e ? Timestamp(e) : string.Empty);
            writer.WriteString("Status", invocation.Status);
            writer.WriteString("StatusDetails", invocation.StatusDetails);
            writer.WriteString("StandardOutputContent", Truncate(invocation.StandardOutput, MaxInvocationOutput));
            writer.WriteString("StandardOutputUrl", string.Empty);
            writer.WriteString("StandardErrorContent", Truncate(invocation.StandardError, MaxInvocationError));
            writer.WriteString("StandardErrorUrl", string.Empty);
            WriteCloudWatchOutput(writer, command);
        });
    }

    /// <summary>
    /// CancelCommand: every invocation of the command, or those of <c>InstanceIds</c>, is cancelled (a pending one at
    /// once, a running one by its agent, which kills the script); one that has ended is left as it is. Answers <c>{}</c>.
    /// </summary>
    private byte[] CancelCommand(SsmCall call)
    {
        var commandId = call.Required("CommandId");
        var instances = call.Input.TryGetProperty("InstanceIds", out var listed) && listed.ValueKind == JsonValueKind.Array && listed.GetArrayLength() == 0
            ? []
            : call.Strings("InstanceIds", MaxTargets) ?? [];
        Authorize(call, "CancelCommand", "*");
        if (commandStore.Find(commandId) is not { } command)
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        if (instances.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new SsmException("DuplicateInstanceId", $"Instance {repeated.Key} is listed more than once.");
        }

        if (instances.Where(i => !command.InstanceIds.Contains(i)).ToList() is { Count: > 0 } strangers)
        {
            throw new SsmException("InvalidInstanceId", $"Instances [[{string.Join(", ", strangers)}]] not in a valid state for account {account.AccountId}");
        }

        commandStore.Cancel(command, instances.Count == 0 ? command.InstanceIds : instances, time.GetUtcNow().ToUnixTimeMilliseconds());
        return Json(_ => { });
    }

    private void WriteCommand(Utf8JsonWriter writer, RunCommand command, List<CommandInvocation> invocations, string? name)
    {
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }

        var (status, details) = CommandStore.StatusOf(invocations, CommandStore.AllowedErrors(command));
        writer.WriteString("CommandId", command.CommandId);
        writer.WriteString("DocumentName", command.DocumentName);
        writer.WriteString("DocumentVersion", "$DEFAULT");
        writer.WriteString("Comment", command.Comment ?? string.Empty);
        writer.WriteNumber("ExpiresAfter", Seconds(command.RequestedMilliseconds + (command.DeliveryTimeoutSeconds * 1000L)));
        writer.WriteStartObject("Parameters");
        WriteValues(writer, "commands", command.Commands);
        if (command.WorkingDirectory is { } directory)
        {
            WriteValues(writer, "workingDirectory", [directory]);
        }

        WriteValues(writer, "executionTimeout", [command.ExecutionTimeoutSeconds.ToString(CultureInfo.InvariantCulture)]);
        writer.WriteEndObject();
        // Sent to Targets, a command lists them and no instance ids (its invocations name the instances matched).
        WriteValues(writer, "InstanceIds", command.Targets is null ? command.InstanceIds : []);
        writer.WriteStartArray("Targets");
        foreach (var target in command.Targets ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("Key", target.Key);
            WriteValues(writer, "Values", target.Values);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("RequestedDateTime", Seconds(command.RequestedMilliseconds));
        writer.WriteString("Status", status);
        writer.WriteString("StatusDetails", details);
        writer.WriteString("OutputS3Region", account.Region);
        writer.WriteString("OutputS3BucketName", string.Empty);
        writer.WriteString("OutputS3KeyPrefix", string.Empty);
        writer.WriteString("MaxConcurrency", command.MaxConcurrency ?? RateControls.DefaultMaxConcurrency);
        writer.WriteString("MaxErrors", command.MaxErrors ?? RateControls.DefaultMaxErrors);
        writer.WriteNumber("TargetCount", invocations.Count);
        writer.WriteNumber("CompletedCount", invocations.Count(i => i.IsDone));
        writer.WriteNumber("ErrorCount", invocations.Count(RateControls.IsError));
        writer.WriteNumber("DeliveryTimedOutCount", invocations.Count(i => i.StatusDetails == "DeliveryTimedOut"));
        writer.WriteString("ServiceRole", string.Empty);
        writer.WriteNumber("TimeoutSeconds", command.DeliveryTimeoutSeconds);
        WriteCloudWatchOutput(writer, command);
        writer.WriteEndObject();
    }

    private static void WriteCloudWatchOutput(Utf8JsonWriter writer, RunCommand command)
    {
        writer.WriteStartObject("CloudWatchOutputConfig");
        writer.WriteString("CloudWatchLogGroupName", command.CloudWatchLogGroupName ?? string.Empty);
        writer.WriteBoolean("CloudWatchOutputEnabled", command.CloudWatchOutputEnabled);
        writer.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A document parameter's values (each is a list of strings, as SendCommand takes them).</summary>
    private static ImmutableArray<string> ParameterValues(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var values)
            ? values.ValueKind == JsonValueKind.Array
                ? [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw NotAList(name))]
                : throw NotAList(name)
            : default;

    /// <summary>A document parameter that is not a list of strings breaks the request's shape (map of string lists), as AWS's deserializer refuses it.</summary>
    private static SsmException NotAList(string name) => new("SerializationException", $"Parameters.{name} must be a list of strings.");

    private string DocumentArn(string document) => $"arn:{account.Partition}:ssm:{account.Region}::document/{document}";

    private static string Truncate(string text, int limit) => text.Length <= limit ? text : text[..limit];

    private static string Timestamp(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A page of <paramref name="items"/> from the offset a token stands for, and the next page's token.</summary>
    private static (List<T> Page, string? Next) Offset<T>(List<T> items, string? token, int limit)
    {
        var start = token is null ? 0 : int.TryParse(NameOf(token), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= items.Count ? offset : throw SsmException.InvalidToken();
        var page = items.Skip(start).Take(limit).ToList();
        return (page, start + page.Count < items.Count ? Token(Number(start + page.Count)) : null);
    }
}
