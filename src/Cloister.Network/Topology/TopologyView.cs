using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// The model's network seen the way both the fabric and the path analyzer need it: which route table and ACL a
/// subnet uses, a route table's routes with prefix lists and gateway endpoint routes expanded, the security
/// groups in force on a host with AWS's defaults applied. Both read this one view so that what is built and what
/// is reported cannot disagree.
/// </summary>
internal sealed class TopologyView
{
    private readonly Dictionary<string, Vpc> _vpcs;
    private readonly Dictionary<string, Subnet> _subnets;
    private readonly Dictionary<string, SecurityGroup> _groups;
    private readonly Dictionary<string, PrefixList> _prefixLists;
    private readonly Dictionary<string, PeeringConnection> _peerings;
    private readonly Dictionary<uint, List<HostPlan>> _hostsByAddress = [];

    public TopologyView(CloudModel model, ImmutableArray<HostPlan> hosts)
    {
        Model = model;
        _vpcs = model.Vpcs.ToDictionary(v => v.Id, StringComparer.Ordinal);
        _subnets = model.Subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _groups = model.SecurityGroups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        foreach (var vpc in model.Vpcs)
        {
            var id = DefaultGroupId(vpc.Id);
            if (!model.SecurityGroups.Any(g => g.VpcId == vpc.Id && g.Name == "default"))
            {
                _groups[id] = new SecurityGroup(
                    id, id, vpc.Id, "default", "default VPC security group",
                    [new SecurityGroupRule("-1", -1, -1, ReferencedGroupId: id)], [SecurityGroupRule.AllowAllEgress]);
            }
        }

        _groups[UnfilteredGroupId] = new SecurityGroup(
            UnfilteredGroupId, UnfilteredGroupId, string.Empty, "no security groups", "a network load balancer without security groups filters nothing",
            [new SecurityGroupRule("-1", -1, -1, "0.0.0.0/0")], [SecurityGroupRule.AllowAllEgress]);
        _prefixLists = model.PrefixLists.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var managed in RegionalServices.ManagedPrefixLists(model.Account.Region))
        {
            _prefixLists.TryAdd(managed.Id, managed);
        }

        _peerings = model.PeeringConnections.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Hosts = hosts;
        foreach (var host in hosts)
        {
            var address = Ipv4Cidr.ParseAddress(host.Address);
            if (!_hostsByAddress.TryGetValue(address, out var holders))
            {
                _hostsByAddress[address] = holders = [];
            }

            holders.Add(host);
        }
    }

    public CloudModel Model { get; }

    public ImmutableArray<HostPlan> Hosts { get; }

    /// <summary>The stand-in group of a network load balancer created without security groups: it allows everything.</summary>
    public const string UnfilteredGroupId = "sg-elb-unfiltered";

    public static string DefaultGroupId(string vpcId) => "sg-default-" + vpcId;

    public Vpc? Vpc(string? id) => id is not null && _vpcs.TryGetValue(id, out var vpc) ? vpc : null;

    public Subnet? Subnet(string? id) => id is not null && _subnets.TryGetValue(id, out var subnet) ? subnet : null;

    public SecurityGroup? Group(string id) => _groups.TryGetValue(id, out var group) ? group : null;

    public PeeringConnection? Peering(string id) => _peerings.TryGetValue(id, out var peering) ? peering : null;

    /// <summary>
    /// The host at <paramref name="address"/> as <paramref name="from"/> names it: the one in its own router (its VPC or
    /// a peered one), else one across a VPN link of its own, else the only host with that address. Unpeered VPCs with
    /// overlapping blocks may each have an ENI at one address (EC2 allows it); the address alone then names neither.
    /// </summary>
    public HostPlan? HostAt(uint address, HostPlan from)
    {
        if (!_hostsByAddress.TryGetValue(address, out var holders))
        {
            return null;
        }

        return holders.Count == 1
            ? holders[0]
            : holders.Find(h => h.RouterNamespace == from.RouterNamespace) ?? holders.Find(h => LinkedByVpn(from, h));
    }

    /// <summary>Whether one host is on premises and the other in a VPC its network is linked to.</summary>
    private bool LinkedByVpn(HostPlan a, HostPlan b) =>
        Model.OnPremisesNetworks.Any(n =>
            (n.Id == a.OnPremisesNetworkId && b.VpcId is not null && n.LinkedVpcIds.Contains(b.VpcId)) ||
            (n.Id == b.OnPremisesNetworkId && a.VpcId is not null && n.LinkedVpcIds.Contains(a.VpcId)));

    public Ipv4Cidr VpcCidr(string vpcId) => Ipv4Cidr.Parse(_vpcs[vpcId].CidrBlock);

    /// <summary>The VPC's Amazon-provided DNS server: the base of the VPC block plus two.</summary>
    public static string ResolverAddress(Vpc vpc) => Ipv4Cidr.Parse(vpc.CidrBlock).AddressAt(2);

    /// <summary>
    /// The link-local address of the Amazon-provided DNS server, the same in every VPC: each VPC router holds it, and
    /// the router's resolver answers a query to it with the view of the VPC the query's source belongs to.
    /// </summary>
    public const string LinkLocalResolverAddress = "169.254.169.253";

    /// <summary>The instance metadata service's address, the same in every VPC: each VPC router holds it (HTTP, port 80).</summary>
    public const string InstanceMetadataAddress = "169.254.169.254";

    /// <summary>Whether <paramref name="address"/> is the Amazon DNS server of <paramref name="vpc"/>: its <c>.2</c> or the link-local address.</summary>
    public static bool IsResolverAddress(Vpc vpc, uint address) =>
        address == Ipv4Cidr.ParseAddress(ResolverAddress(vpc)) || address == Ipv4Cidr.ParseAddress(LinkLocalResolverAddress);

    /// <summary>The security groups a new ENI in <paramref name="vpcId"/> gets: the given ones, or the VPC's default.</summary>
    public ImmutableArray<string> GroupsOrDefault(string vpcId, ImmutableArray<string> groupIds)
    {
        if (!groupIds.IsDefaultOrEmpty)
        {
            return groupIds;
        }

        var named = Model.SecurityGroups.FirstOrDefault(g => g.VpcId == vpcId && g.Name == "default");
        return [named?.Id ?? DefaultGroupId(vpcId)];
    }

    /// <summary>The route table of a subnet: its explicit association, else the VPC's main table.</summary>
    public RouteTable? RouteTableOf(Subnet subnet) =>
        Model.RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnet.Id)) ??
        Model.RouteTables.FirstOrDefault(t => t.VpcId == subnet.VpcId && t.IsMain);

    /// <summary>
    /// The network ACL of a subnet: its explicit association, else its VPC's default ACL when the model has one (entries
    /// added to it), else null for a default ACL of rule 100 only (which allows everything).
    /// </summary>
    public NetworkAcl? AclOf(Subnet subnet) =>
        Model.NetworkAcls.FirstOrDefault(a => a.SubnetIds.Contains(subnet.Id)) ??
        Model.NetworkAcls.FirstOrDefault(a => a.VpcId == subnet.VpcId && a.IsDefault);

    /// <summary>The routes a subnet's traffic follows, other than the local route, expanded to blocks.</summary>
    public IReadOnlyList<ResolvedRoute> RoutesOf(Subnet subnet)
    {
        var table = RouteTableOf(subnet);
        var routes = new List<ResolvedRoute>();
        foreach (var route in table?.Routes ?? [])
        {
            if (route.Target == RouteTargetKind.Local)
            {
                continue;
            }

            foreach (var block in Expand(route))
            {
                // Of routes with one destination, VPC uses a static route before a prefix list route ("How route
                // priority works"): one route per block, so the kernel (where the last written wins) and Lookup agree.
                var same = routes.FindIndex(r => r.Destination == block);
                if (same < 0)
                {
                    routes.Add(new ResolvedRoute(block, route.Target, route.TargetId, table!.Id, route.Destination));
                }
                else if (routes[same].IsPrefixListRoute && !route.IsPrefixListDestination)
                {
                    routes[same] = new ResolvedRoute(block, route.Target, route.TargetId, table!.Id, route.Destination);
                }
            }
        }

        // A linked on-premises network propagates its block, as a virtual private gateway with propagation does.
        foreach (var network in Model.OnPremisesNetworks.Where(n => n.PropagateRoutes && n.LinkedVpcIds.Contains(subnet.VpcId)))
        {
            var block = Ipv4Cidr.Parse(network.CidrBlock);
            if (!routes.Any(r => r.Destination == block))
            {
                routes.Add(new ResolvedRoute(block, RouteTargetKind.VpnGateway, network.Id, table?.Id ?? "propagated", network.CidrBlock + " (propagated)"));
            }
        }

        if (table is null)
        {
            return routes;
        }

        // AWS adds a gateway endpoint's prefix list route to every route table the endpoint names.
        foreach (var endpoint in Model.VpcEndpoints)
        {
            if (endpoint.Type == VpcEndpointType.Gateway && endpoint.RouteTableIds.Contains(table.Id) &&
                RegionServices.PrefixOf(endpoint.ServiceName) is { } prefix &&
                !routes.Any(r => r.Destination == prefix))
            {
                routes.Add(new ResolvedRoute(prefix, RouteTargetKind.GatewayEndpoint, endpoint.Id, table.Id,
                    RegionalServices.PrefixListIdOf(endpoint.ServiceName) ?? "pl-" + endpoint.ServiceShortName));
            }
        }

        return routes;
    }

    /// <summary>The most specific route for <paramref name="destination"/> from <paramref name="subnet"/>.</summary>
    public ResolvedRoute? Lookup(Subnet subnet, uint destination) =>
        RoutesOf(subnet).Where(r => r.Destination.Contains(destination)).OrderByDescending(r => r.Destination.PrefixLength).FirstOrDefault();

    /// <summary>
    /// The route of <paramref name="subnet"/>'s table, more specific than the local route, that takes
    /// <paramref name="address"/> of the VPC's own block away from it (a local-route override, to an appliance's
    /// network interface on AWS); null when the local route carries it. The sandbox carries nothing by such a route.
    /// </summary>
    public ResolvedRoute? LocalRouteOverride(Subnet subnet, uint address)
    {
        var block = VpcCidr(subnet.VpcId);
        return block.Contains(address) && Lookup(subnet, address) is { } route && block.Contains(route.Destination) && route.Destination.PrefixLength > block.PrefixLength
            ? route
            : null;
    }

    /// <summary>The blocks a route destination or a prefix list id stands for.</summary>
    public IEnumerable<Ipv4Cidr> Expand(Route route)
    {
        if (!route.IsPrefixListDestination)
        {
            return Ipv4Cidr.ParseOrNull(route.Destination) is { } block ? [block] : [];
        }

        if (_prefixLists.TryGetValue(route.Destination, out var list))
        {
            return PrefixListBlocks(list.Id);
        }

        var endpoint = Model.VpcEndpoints.FirstOrDefault(e => e.Id == route.TargetId);
        return endpoint is not null && RegionServices.PrefixOf(endpoint.ServiceName) is { } prefix ? [prefix] : [];
    }

    /// <summary>The blocks of a managed prefix list (the model's, or an AWS-managed service list).</summary>
    public IEnumerable<Ipv4Cidr> PrefixListBlocks(string id) =>
        _prefixLists.TryGetValue(id, out var list)
            ? list.Entries.Select(e => Ipv4Cidr.ParseOrNull(e.Cidr)).OfType<Ipv4Cidr>()
            : [];

    /// <summary>The security groups in force on a host.</summary>
    public IEnumerable<SecurityGroup> GroupsOf(HostPlan host) => host.SecurityGroupIds.Select(Group).OfType<SecurityGroup>();

    /// <summary>The addresses of the hosts that carry security group <paramref name="groupId"/>.</summary>
    public IEnumerable<string> MembersOf(string groupId) =>
        Hosts.Where(h => h.SecurityGroupIds.Contains(groupId)).Select(h => h.Address);

    /// <summary>Whether peering <paramref name="peering"/> joins the two VPCs.</summary>
    public static bool Joins(PeeringConnection peering, string vpcA, string vpcB) =>
        (peering.RequesterVpcId == vpcA && peering.AccepterVpcId == vpcB) || (peering.RequesterVpcId == vpcB && peering.AccepterVpcId == vpcA);

    /// <summary>The on-premises network a VPN route of <paramref name="vpcId"/> leads to.</summary>
    public OnPremisesNetwork? OnPremisesFor(string vpcId, string targetId, Ipv4Cidr destination)
    {
        var linked = Model.OnPremisesNetworks.Where(n => n.LinkedVpcIds.Contains(vpcId)).ToList();
        return linked.FirstOrDefault(n => n.Id == targetId || n.LogicalId == targetId) ??
            linked.FirstOrDefault(n => Ipv4Cidr.Parse(n.CidrBlock).Contains(destination) || destination.Contains(Ipv4Cidr.Parse(n.CidrBlock))) ??
            (linked.Count == 1 ? linked[0] : null);
    }
}
