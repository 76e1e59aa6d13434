using System.Collections.Immutable;

namespace Cloister.Network.Topology;

/// <summary>
/// Everything the fabric builds for one model: namespaces, links, hosts, DNS servers, the router namespace of each VPC
/// (by VPC id), and where connections to the region's services come from (<see cref="RegionOrigins"/>). An address
/// several namespaces hold (the .2 of unpeered VPCs with one block) is in <see cref="AddressNamespaces"/> with each.
/// </summary>
internal sealed record NetworkPlan(
    string Prefix,
    ImmutableArray<NamespacePlan> Namespaces,
    ImmutableArray<LinkPlan> Links,
    ImmutableArray<HostPlan> Hosts,
    ImmutableArray<DnsServerPlan> DnsServers,
    ImmutableDictionary<string, ImmutableArray<string>> AddressNamespaces,
    ImmutableDictionary<string, string> VpcRouters,
    RegionOrigins Origins)
{
    public string SandboxNamespace => Prefix + "sb";

    public string RegionNamespace => Prefix + "rg";
}
