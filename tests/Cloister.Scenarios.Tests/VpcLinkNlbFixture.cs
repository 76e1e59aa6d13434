namespace Cloister.Scenarios.Tests;

/// <summary>The VPC-link sample deployed once for its class, with an API key of its own.</summary>
public sealed class VpcLinkNlbFixture() : StackFixture(
    Cloister.Sample("vpc-link-nlb/template.yaml"),
    "--param",
    "ApiKeyValue=" + Key,
    "--region",
    "eu-central-1")
{
    /// <summary>The API key the stack is deployed with.</summary>
    public const string Key = "scenario-key-7f3c9a1e5b2d4c6e";

    /// <summary>The host name of an instance (its page says "Hello from" it).</summary>
    internal string HostnameOf(string logicalId) =>
        Status.GetProperty("Hosts").EnumerateArray()
            .First(h => h.GetProperty("Name").GetString() == logicalId)
            .GetProperty("Hostname").GetString()!;

    /// <summary>The health state <c>cloister status</c> shows for the load balancer target that is the instance <paramref name="logicalId"/>.</summary>
    internal async Task<string?> TargetStateAsync(string logicalId)
    {
        var address = Status.GetProperty("Hosts").EnumerateArray()
            .First(h => h.GetProperty("Name").GetString() == logicalId)
            .GetProperty("Address").GetString();
        var status = await Cli.StatusAsync();
        return status.GetProperty("Targets").EnumerateArray()
            .Where(t => t.GetProperty("Id").GetString() == address)
            .Select(t => t.GetProperty("State").GetString())
            .FirstOrDefault();
    }

    /// <summary>The health <c>cloister status</c> shows for the service whose name starts with <paramref name="prefix"/>.</summary>
    internal async Task<string?> ServiceHealthAsync(string prefix)
    {
        var status = await Cli.StatusAsync();
        return status.GetProperty("Services").EnumerateArray()
            .Where(s => s.GetProperty("Name").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => s.GetProperty("Health").GetString())
            .FirstOrDefault();
    }
}
