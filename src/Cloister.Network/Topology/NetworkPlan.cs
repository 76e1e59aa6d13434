using System.Collections.Immutable;

namespace Cloister.Network.Topology;

/// <summary>Everything the fabric builds for one model: namespaces, links, hosts, DNS servers.</summary>
internal sealed record NetworkPlan(
    string Prefix,
    ImmutableArray<NamespacePlan> Namespaces,
    ImmutableArray<LinkPlan> Links,
    ImmutableArray<HostPlan> Hosts,
    ImmutableArray<DnsServerPlan> DnsServers,
    ImmutableDictionary<string, string> AddressNamespaces)
{
    public string SandboxNamespace => Prefix + "sb";

    public string RegionNamespace => Prefix + "rg";
}
