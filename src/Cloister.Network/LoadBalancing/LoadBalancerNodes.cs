using System.Collections.Immutable;
using System.Net;
using Cloister.Model;
using Cloister.Network.Topology;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Where a load balancer's nodes are: one ENI address in each of its subnets, allocated by the fabric like every other
/// ENI. Its DNS name answers with these addresses (the DNS module serves them).
/// </summary>
public static class LoadBalancerNodes
{
    /// <summary>Each load balancer's DNS name (lower case) with its node addresses, in subnet order.</summary>
    public static IReadOnlyDictionary<string, ImmutableArray<IPAddress>> ByDnsName(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ByDnsName(model, PlanBuilder.Hosts(model));
    }

    /// <summary>Each load balancer's ARN with its node addresses, in subnet order.</summary>
    public static IReadOnlyDictionary<string, ImmutableArray<IPAddress>> ByArn(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ByArn(model, PlanBuilder.Hosts(model));
    }

    internal static IReadOnlyDictionary<string, ImmutableArray<IPAddress>> ByDnsName(CloudModel model, ImmutableArray<HostPlan> hosts)
    {
        var byArn = ByArn(model, hosts);
        return model.LoadBalancers
            .Where(b => !string.IsNullOrEmpty(b.DnsName))
            .ToImmutableDictionary(b => b.DnsName.TrimEnd('.').ToLowerInvariant(), b => byArn[b.Id], StringComparer.OrdinalIgnoreCase);
    }

    internal static IReadOnlyDictionary<string, ImmutableArray<IPAddress>> ByArn(CloudModel model, ImmutableArray<HostPlan> hosts) =>
        model.LoadBalancers.ToImmutableDictionary(
            b => b.Id,
            b => hosts.Where(h => h.Kind == HostKind.LoadBalancerNode && h.OwnerId == b.Id).Select(h => IPAddress.Parse(h.Address)).ToImmutableArray(),
            StringComparer.Ordinal);
}
