using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Cloister.Network.Topology;

/// <summary>
/// Everything the fabric builds for one model: namespaces, links, hosts, DNS servers, the router namespace of each VPC
/// (by VPC id), and where connections to the region's services come from (<see cref="RegionOrigins"/>). An address
/// several namespaces hold (the .2 of unpeered VPCs with one block, an explicit ENI address given in both) is in
/// <see cref="AddressNamespaces"/> with each; <see cref="VpcEnis"/> finds an ENI by its VPC and address, which never repeat.
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
    /// <summary>The hosts in VPCs by VPC id and address.</summary>
    public FrozenDictionary<(string VpcId, string Address), HostPlan> VpcEnis { get; } =
        Hosts.Where(h => h.VpcId is not null).DistinctBy(h => (h.VpcId, h.Address)).ToFrozenDictionary(h => (h.VpcId!, h.Address));

    public string SandboxNamespace => Prefix + "sb";

    public string RegionNamespace => Prefix + "rg";
}
