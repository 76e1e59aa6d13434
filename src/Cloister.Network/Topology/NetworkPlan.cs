using System.Collections.Immutable;

namespace Cloister.Network.Topology;

/// <summary>
/// Everything the fabric builds for one model: namespaces, links, hosts, DNS servers, and where connections to the
/// region's services come from (<see cref="RegionOrigins"/>).
/// </summary>
internal sealed record NetworkPlan(
    string Prefix,
    ImmutableArray<NamespacePlan> Namespaces,
    ImmutableArray<LinkPlan> Links,
    ImmutableArray<HostPlan> Hosts,
    ImmutableArray<DnsServerPlan> DnsServers,
    ImmutableDictionary<string, string> AddressNamespaces,
    RegionOrigins Origins)
{
    public string SandboxNamespace => Prefix + "sb";

    public string RegionNamespace => Prefix + "rg";
}
