using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// UpdateInstanceInformation (an agent's registration and ping) and DescribeInstanceInformation (the managed nodes and
/// whether they are <c>Online</c>).
/// </summary>
internal sealed partial class SsmHandler
{
    private const int MaxInstanceInformationResults = 50;

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

        var wanted = legacy.Select(f => NodeFilter(f, "key", "valueSet")).Concat(filters.Select(f => NodeFilter(f, "Key", "Values"))).ToList();
        Authorize(call, "DescribeInstanceInformation", AccountResources());
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var matching = nodes.All().Where(n => wanted.TrueForAll(f => f.Values.Contains(NodeValue(n, f.Key, now) ?? string.Empty))).ToList();
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

    /// <summary>One filter of DescribeInstanceInformation: <c>InstanceIds</c>, <c>PingStatus</c>, <c>PlatformTypes</c>, <c>AgentVersion</c> or <c>ResourceType</c>.</summary>
    private static (string Key, HashSet<string> Values) NodeFilter(JsonElement filter, string keyName, string valuesName)
    {
        var key = filter.TryGetProperty(keyName, out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : throw SsmException.Validation($"1 validation error detected: Value null at '{keyName}' failed to satisfy constraint: Member must not be null");
        if (key is not ("InstanceIds" or "PingStatus" or "PlatformTypes" or "AgentVersion" or "ResourceType"))
        {
            throw new SsmException("InvalidInstanceInformationFilterValue", $"{key} is not a valid filter key (InstanceIds, PingStatus, PlatformTypes, AgentVersion, ResourceType are).");
        }

        var values = filter.TryGetProperty(valuesName, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        return values.Count == 0
            ? throw new SsmException("InvalidInstanceInformationFilterValue", $"The filter {key} needs at least one value.")
            : (key, values);
    }

    private string? NodeValue(ManagedNode node, string key, long now) => key switch
    {
        "InstanceIds" => node.InstanceId,
        "PingStatus" => nodes.PingStatus(node, now),
        "PlatformTypes" => node.PlatformType,
        "AgentVersion" => node.AgentVersion,
        "ResourceType" => "EC2Instance",
        _ => null,
    };

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
