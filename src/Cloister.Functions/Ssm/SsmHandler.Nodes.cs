using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// UpdateInstanceInformation (an agent's registration and ping) and DescribeInstanceInformation (the managed nodes and
/// whether they are <c>Online</c>).
/// </summary>
internal sealed partial class SsmHandler
{
    private const int MaxInstanceInformationResults = 50;
    private const string Ec2SourceType = "AWS::EC2::Instance";

    /// <summary>InstanceInformationFilterList's keys (an enumeration in AWS's model).</summary>
    private static readonly string[] LegacyNodeFilterKeys = ["InstanceIds", "AgentVersion", "PingStatus", "PlatformTypes", "ActivationIds", "IamRole", "ResourceType", "AssociationStatus"];

    /// <summary>Filters' keys, as the API reference lists them (<c>PlatformTypes</c> is taken too, as the older list names it).</summary>
    private static readonly string[] NodeFilterKeys = ["InstanceIds", "AgentVersion", "PingStatus", "PlatformType", "PlatformTypes", "ActivationIds", "IamRole", "ResourceType", "AssociationStatus", "SourceIds", "SourceTypes"];

    private byte[] UpdateInstanceInformation(SsmCall call)
    {
        var instanceId = call.Required("InstanceId");
        var agentVersion = call.Required("AgentVersion");
        Authorize(call, "UpdateInstanceInformation", InstanceArn(instanceId));
        RequireInstanceItself(call, "ssm:UpdateInstanceInformation", instanceId);
        nodes.Ping(new ManagedNode(
            instanceId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            agentVersion,
            call.String("PlatformType") ?? "Linux",
            call.String("PlatformName") ?? string.Empty,
            call.String("PlatformVersion") ?? string.Empty,
            call.String("IPAddress"),
            call.String("ComputerName"),
            call.String("AgentName")));
        return "{}"u8.ToArray();
    }

    private byte[] DescribeInstanceInformation(SsmCall call)
    {
        var limit = call.Int("MaxResults", 5, MaxInstanceInformationResults) ?? MaxInstanceInformationResults;
        var token = call.String("NextToken");
        var legacy = call.Objects("InstanceInformationFilterList");
        var filters = call.Objects("Filters");
        if (legacy.Count > 0 && filters.Count > 0)
        {
            throw SsmException.Validation("You can use either InstanceInformationFilterList or Filters in a single request.");
        }

        var wanted = legacy.Select((f, i) => NodeFilter(f, i, legacy: true)).Concat(filters.Select((f, i) => NodeFilter(f, i, legacy: false))).ToList();
        Authorize(call, "DescribeInstanceInformation", AccountResources());
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var matching = nodes.All().Where(n => wanted.TrueForAll(f => NodeValues(n, f.Key, now).Any(f.Values.Contains))).ToList();
        var (page, next) = Offset(matching, token, limit);
        return PageJson("InstanceInformationList", page, next, (writer, node) =>
        {
            writer.WriteStartObject();
            writer.WriteString("InstanceId", node.InstanceId);
            writer.WriteString("PingStatus", nodes.PingStatus(node, now));
            writer.WriteNumber("LastPingDateTime", Seconds(node.LastPingMilliseconds));
            writer.WriteString("AgentVersion", node.AgentVersion);
            writer.WriteBoolean("IsLatestVersion", false);
            writer.WriteString("PlatformType", node.PlatformType);
            writer.WriteString("PlatformName", node.PlatformName);
            writer.WriteString("PlatformVersion", node.PlatformVersion);
            writer.WriteString("ResourceType", "EC2Instance");
            writer.WriteString("SourceId", node.InstanceId);
            writer.WriteString("SourceType", Ec2SourceType);
            if (node.IpAddress is { } ip)
            {
                writer.WriteString("IPAddress", ip);
            }

            if (node.ComputerName is { } computer)
            {
                writer.WriteString("ComputerName", computer);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// One filter of DescribeInstanceInformation. <c>InstanceInformationFilterList</c> (<c>key</c>/<c>valueSet</c>)
    /// takes its enumerated keys (a key outside them breaks the request's shape: ValidationException); <c>Filters</c>
    /// (<c>Key</c>/<c>Values</c>) takes free-form keys, an unknown one being <c>InvalidFilterKey</c>, and also
    /// <c>tag-key</c> and <c>tag:NAME</c>. Both take 1 to 100 values; a <c>PingStatus</c> other than AWS's three is
    /// <c>InvalidInstanceInformationFilterValue</c>.
    /// </summary>
    private static (string Key, HashSet<string> Values) NodeFilter(JsonElement filter, int index, bool legacy)
    {
        var (keyName, valuesName, list) = legacy ? ("key", "valueSet", "instanceInformationFilterList") : ("Key", "Values", "filters");
        var member = string.Create(CultureInfo.InvariantCulture, $"{list}.{index + 1}.member");
        var key = filter.TryGetProperty(keyName, out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : throw SsmException.Validation($"1 validation error detected: Value null at '{member}.{SsmCall.Camel(keyName)}' failed to satisfy constraint: Member must not be null");
        if (legacy && !LegacyNodeFilterKeys.Contains(key, StringComparer.Ordinal))
        {
            throw SsmException.Validation($"1 validation error detected: Value '{key}' at '{member}.key' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", LegacyNodeFilterKeys)}]");
        }

        var tag = key == "tag-key" || (key.StartsWith("tag:", StringComparison.Ordinal) && key.Length > 4);
        if (!legacy && !tag && !NodeFilterKeys.Contains(key, StringComparer.Ordinal))
        {
            throw new SsmException("InvalidFilterKey", $"The filter key {key} is not valid. Valid filter keys: {string.Join(", ", NodeFilterKeys)}, tag-key, tag:KEY.");
        }

        var values = filter.TryGetProperty(valuesName, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new SsmException("SerializationException", $"{valuesName} must be a list of strings.")).ToHashSet(StringComparer.Ordinal)
            : null;
        if (values is null || values.Count is 0 or > 100)
        {
            throw SsmException.Validation($"1 validation error detected: Value at '{member}.{SsmCall.Camel(valuesName)}' failed to satisfy constraint: Member must {(values is null ? "not be null" : values.Count == 0 ? "have length greater than or equal to 1" : "have length less than or equal to 100")}");
        }

        if (key == "PingStatus" && values.FirstOrDefault(value => value is not ("Online" or "ConnectionLost" or "Inactive")) is { } wrong)
        {
            throw new SsmException("InvalidInstanceInformationFilterValue", $"The PingStatus filter value {wrong} is not valid. Valid values: Online, ConnectionLost, Inactive.");
        }

        return (key == "PlatformType" ? "PlatformTypes" : key, values);
    }

    /// <summary>What a node answers for <paramref name="key"/> (none for a key of what the sandbox has not: activations, associations, hybrid roles).</summary>
    private IEnumerable<string> NodeValues(ManagedNode node, string key, long now)
    {
        var tags = instances.FirstOrDefault(i => i.InstanceId == node.InstanceId)?.Tags ?? new Dictionary<string, string>();
        return key switch
        {
            "InstanceIds" or "SourceIds" => [node.InstanceId],
            "PingStatus" => [nodes.PingStatus(node, now)],
            "PlatformTypes" => [node.PlatformType],
            "AgentVersion" => [node.AgentVersion],
            "ResourceType" => ["EC2Instance"],
            "SourceTypes" => [Ec2SourceType],
            "tag-key" => tags.Keys,
            _ when key.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(key[4..], out var value) ? [value] : [],
            _ => [],
        };
    }

    /// <summary>An instance's ARN, what the agent's calls are authorized on.</summary>
    private string InstanceArn(string instanceId) =>
        $"arn:{account.Partition}:ec2:{account.Region}:{account.AccountId}:instance/{instanceId}";

    /// <summary>
    /// The agent's calls speak for one instance: an instance profile's role session (named after its instance) may
    /// speak only for its own, as Systems Manager checks the calling instance (<c>ec2:SourceInstanceARN</c>).
    /// </summary>
    private void RequireInstanceItself(SsmCall call, string action, string instanceId)
    {
        if (call.Caller is not { } caller)
        {
            return;
        }

        var session = caller.Arn[(caller.Arn.LastIndexOf('/') + 1)..];
        if (!caller.Arn.Contains(":assumed-role/", StringComparison.Ordinal) || session != instanceId)
        {
            throw new SsmException("AccessDeniedException", $"User: {caller.Arn} is not authorized to perform: {action} on resource: {InstanceArn(instanceId)} because only the instance's own role session speaks for it");
        }
    }
}
