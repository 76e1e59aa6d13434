using System.Collections.Frozen;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// Where a connection to a regional service came from, precomputed for one plan: for each link into the region (a
/// mark) and each source address on it, the <see cref="ServiceOrigin"/> of every service. The region namespace marks
/// every packet with the link it came in on (one link per VPC, <see cref="VpcMark"/>, and the link of functions without
/// a VPC, <see cref="NoVpcMark"/>) and keeps the SYN's mark on the accepted socket (<c>tcp_fwmark_accept</c>), so a
/// connection's mark says which VPC's route sent it, even for peered VPCs sharing one router namespace. The subnet of
/// the source address then decides, by the very routes its routing table was given (<see cref="TableRoute.Match"/>),
/// whether the service's address was reached through a gateway endpoint of that service (VPC and endpoint) or through
/// a NAT or internet gateway route (outside, as on AWS, where such traffic is public). Immutable: a new plan carries a
/// new one.
/// </summary>
internal sealed class RegionOrigins
{
    /// <summary>The mark of packets that came from the namespace of functions without a VPC.</summary>
    public const uint NoVpcMark = 1;

    /// <summary>Each service's endpoint address with its number (<see cref="RegionalServices"/>).</summary>
    private static readonly FrozenDictionary<uint, int> ServiceNumbers = RegionServices.Names.ToFrozenDictionary(
        n => Ipv4Cidr.ParseAddress(RegionServices.AddressOf(n)!), n => RegionalServices.NumberOf(n)!.Value);

    private static readonly int Slots = ServiceNumbers.Values.Max() + 1;

    private readonly FrozenDictionary<ulong, ServiceOrigin[]> _bySource;

    private RegionOrigins(FrozenDictionary<ulong, ServiceOrigin[]> bySource) => _bySource = bySource;

    /// <summary>The mark of packets that came over the region link of the VPC at <paramref name="vpcIndex"/> in the model.</summary>
    public static uint VpcMark(int vpcIndex) => NoVpcMark + 1 + (uint)vpcIndex;

    /// <summary>
    /// The origins of every host that can reach the region: the hosts in VPCs (by their subnet's routes,
    /// <paramref name="subnetRoutes"/>, by subnet id, as the VPC routers were given them) and the namespace of
    /// functions without a VPC.
    /// </summary>
    public static RegionOrigins Build(CloudModel model, IEnumerable<HostPlan> hosts, IReadOnlyDictionary<string, IReadOnlyList<TableRoute>> subnetRoutes)
    {
        var vpcIndex = model.Vpcs.Select((v, i) => (v.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var endpoints = model.VpcEndpoints.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var bySource = new Dictionary<ulong, ServiceOrigin[]>();
        foreach (var host in hosts)
        {
            var source = Ipv4Cidr.ParseAddress(host.Address);
            var outside = ServiceOrigin.Outside(host.Address);
            var origins = new ServiceOrigin[Slots];
            Array.Fill(origins, outside);
            if (host.Kind == HostKind.PublicFunction)
            {
                bySource[Key(NoVpcMark, source)] = origins;
                continue;
            }

            if (host.VpcId is not { } vpcId || host.SubnetId is null || !subnetRoutes.TryGetValue(host.SubnetId, out var table) ||
                !vpcIndex.TryGetValue(vpcId, out var index))
            {
                continue;
            }

            foreach (var (address, number) in ServiceNumbers)
            {
                // Only an endpoint of this very service, in the host's VPC, makes the connection its endpoint's.
                if (TableRoute.Match(table, address)?.GatewayEndpointId is { } endpointId &&
                    endpoints.TryGetValue(endpointId, out var endpoint) && endpoint.VpcId == vpcId &&
                    RegionalServices.NumberOf(endpoint.ServiceName) == number)
                {
                    origins[number] = new ServiceOrigin(vpcId, endpointId, host.Address);
                }
            }

            bySource[Key(VpcMark(index), source)] = origins;
        }

        return new RegionOrigins(bySource.ToFrozenDictionary());
    }

    /// <summary>The number of the service listening at <paramref name="address"/>; false when no service does.</summary>
    public static bool TryServiceAt(uint address, out int service) => ServiceNumbers.TryGetValue(address, out service);

    /// <summary>
    /// The origin of a connection to service <paramref name="service"/> from <paramref name="source"/> whose packets
    /// carried <paramref name="mark"/>. A source the link cannot carry (an address of another VPC, a connection from
    /// inside the region, mark 0) is outside any VPC: nothing may claim a VPC or an endpoint it did not come through.
    /// </summary>
    public ServiceOrigin Find(int service, uint mark, uint source) =>
        _bySource.TryGetValue(Key(mark, source), out var origins) ? origins[service] : ServiceOrigin.Outside(Ipv4Cidr.FormatAddress(source));

    private static ulong Key(uint mark, uint source) => ((ulong)mark << 32) | source;
}
