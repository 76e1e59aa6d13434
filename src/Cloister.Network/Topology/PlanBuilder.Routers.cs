using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Firewall;

namespace Cloister.Network.Topology;

/// <summary>
/// VPC routers. The VPCs of one peering component (joined by accepted peerings) share a router namespace; each
/// subnet's route table is a routing table chosen by the interface the packet came in on (the subnet's hosts'
/// veths), so the route table of the subnet a packet leaves decides, as in AWS, and a spoofed source changes nothing.
/// A peering route reaches the peer's hosts by falling through to the main table (which holds the hosts of every
/// VPC in the namespace) only for the part of its destination inside the peer VPC's block; anything beyond is a
/// blackhole, so peering stays non-transitive. Traffic from the region or a VPN link matches no host interface and
/// meets only the main table.
/// </summary>
internal static partial class PlanBuilder
{
    private static readonly Ipv4Cidr LinkLocalResolverBlock = new(Ipv4Cidr.ParseAddress(TopologyView.LinkLocalResolverAddress), 32);
    private static readonly Ipv4Cidr InstanceMetadataBlock = new(Ipv4Cidr.ParseAddress(TopologyView.InstanceMetadataAddress), 32);

    /// <summary>Each VPC with the index of the first VPC of its peering component (union of accepted peerings).</summary>
    private static Dictionary<string, int> PeeringComponents(CloudModel model)
    {
        var parent = Enumerable.Range(0, model.Vpcs.Length).ToArray();
        var index = model.Vpcs.Select((v, i) => (v.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        foreach (var peering in model.PeeringConnections.Where(p => p.Accepted))
        {
            if (index.TryGetValue(peering.RequesterVpcId, out var a) && index.TryGetValue(peering.AccepterVpcId, out var b))
            {
                var (ra, rb) = (Find(a), Find(b));
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }

        return model.Vpcs.Select((v, i) => (v.Id, i)).ToDictionary(x => x.Id, x => Find(x.i), StringComparer.Ordinal);
    }

    private static NamespacePlan VpcRouter(
        string name,
        Dictionary<string, string> vpcRouters,
        TopologyView view,
        List<LinkPlan> links,
        Dictionary<string, (string Router, string Region)> regionLinks,
        Dictionary<(string OnPrem, string Vpc), (string VpcSide, string OnPremSide)> vpnLinks,
        Dictionary<string, IReadOnlyList<TableRoute>> subnetRoutes)
    {
        var model = view.Model;
        var vpcs = model.Vpcs.Where(v => vpcRouters[v.Id] == name).ToList();
        var commands = new List<string> { "link set lo up" };
        commands.AddRange(vpcs.Select(v => $"addr add {TopologyView.ResolverAddress(v)}/32 dev lo"));
        commands.Add($"addr add {TopologyView.LinkLocalResolverAddress}/32 dev lo");
        commands.Add($"addr add {TopologyView.InstanceMetadataAddress}/32 dev lo");
        var routerHosts = view.Hosts.Where(h => h.RouterNamespace == name).ToList();
        AddHostInterfaces(commands, routerHosts);
        foreach (var link in links.Where(l => l.NamespaceA == name || l.NamespaceB == name))
        {
            var (device, address) = link.NamespaceA == name ? (link.InterfaceA, link.AddressA) : (link.InterfaceB, link.AddressB);
            if (address is null)
            {
                continue;
            }

            commands.Add($"link set {device} up");
            commands.Add($"addr add {address}/30 dev {device}");
        }

        var routers = new List<(Vpc Vpc, int Index, IReadOnlyList<(Subnet, IReadOnlyList<string>)> Subnets)>();
        foreach (var vpc in vpcs)
        {
            var aclInput = new List<(Subnet, IReadOnlyList<string>)>();
            foreach (var subnet in model.Subnets.Where(s => s.VpcId == vpc.Id))
            {
                var number = model.Subnets.IndexOf(subnet);
                var table = Num(100 + number);
                var routes = SubnetRoutes(subnet, vpc, view, regionLinks, vpnLinks);
                subnetRoutes[subnet.Id] = routes;
                commands.AddRange(routes.Select(r => r.Command(table)));

                // The hosts a fall-through route would find in the main table, copied into this table: a forwarded
                // packet then takes one table lookup instead of three (this table, the throw, the main table), and
                // the result is the same, since a host route only goes where the fall-through would have led.
                commands.AddRange(routerHosts
                    .Where(h => TableRoute.Match(routes, Ipv4Cidr.ParseAddress(h.Address))?.Type == TableRoute.Throw)
                    .Select(h => $"route replace {HostRoute(h)} table {table}"));

                var interfaces = routerHosts.Where(h => h.SubnetId == subnet.Id).Select(h => h.RouterInterface).ToList();
                commands.AddRange(interfaces.Select(i => $"rule add iif {i} lookup {table} pref {Num(1000 + number)}"));
                aclInput.Add((subnet, interfaces));
            }

            routers.Add((vpc, model.Vpcs.IndexOf(vpc), aclInput));
        }

        // The router's own addresses (.1 gateways, .2 resolvers, link ends) are looked up after the subnets' tables,
        // not before them: a forwarded packet no longer walks the local table first. Packets to those addresses still
        // reach it, through the fall-through of the VPC's block (the local route) or, from the region and VPN links,
        // which match no interface rule, directly.
        // A load balancer node's connections from its clients' addresses get their answers back through the node.
        commands.AddRange(PreservedSourceRouting.RouterCommands(routerHosts));
        commands.Add("rule add pref 32765 lookup local");
        commands.Add("rule del pref 0");

        return new NamespacePlan(name, NamespaceRole.VpcRouter, VpcRouterSysctls, [.. commands], NftRenderer.ForVpcRouter(routers, routerHosts, view));
    }

    /// <summary>The routing table of <paramref name="subnet"/> as the kernel gets it, in the order it is written.</summary>
    private static List<TableRoute> SubnetRoutes(
        Subnet subnet,
        Vpc vpc,
        TopologyView view,
        Dictionary<string, (string Router, string Region)> regionLinks,
        Dictionary<(string OnPrem, string Vpc), (string VpcSide, string OnPremSide)> vpnLinks)
    {
        // The local route: traffic inside the VPC falls through to the main table, which holds the hosts; the
        // link-local resolver and metadata addresses fall through to the router's own addresses (the local table
        // comes after the subnets' tables).
        var routes = new List<TableRoute> { TableRoute.FallThrough(view.VpcCidr(vpc.Id)), TableRoute.FallThrough(LinkLocalResolverBlock), TableRoute.FallThrough(InstanceMetadataBlock) };
        routes.AddRange(OneRoutePerBlock(view.RoutesOf(subnet).Select(r => (r.Destination, TableRoutes(r, vpc, view, regionLinks, vpnLinks)))));
        if (!routes.Any(r => r.Destination.PrefixLength == 0))
        {
            routes.Add(new TableRoute(new Ipv4Cidr(0, 0), "unreachable"));
        }

        return routes;
    }

    /// <summary>
    /// The kernel routes of a table's routes, one per block. A route can yield a block of a prefix another route has
    /// too (a peering route wider than the peer VPC falls through for the peer's block): of those the kernel keeps the
    /// last written, while AWS takes the longest matching route of the table, so the block goes to the route whose own
    /// destination is the more specific (a blackhole of the peer's block over a wider peering route, whatever their
    /// order in the table).
    /// </summary>
    private static IEnumerable<TableRoute> OneRoutePerBlock(IEnumerable<(Ipv4Cidr Destination, TableRoute[] Routes)> routes)
    {
        var chosen = new Dictionary<Ipv4Cidr, (TableRoute Route, int Specificity)>();
        var order = new List<Ipv4Cidr>();
        foreach (var (destination, tableRoutes) in routes)
        {
            foreach (var route in tableRoutes)
            {
                if (!chosen.TryGetValue(route.Destination, out var held))
                {
                    order.Add(route.Destination);
                }
                else if (held.Specificity >= destination.PrefixLength)
                {
                    continue;
                }

                chosen[route.Destination] = (route, destination.PrefixLength);
            }
        }

        return order.Select(block => chosen[block].Route);
    }

    private static TableRoute[] TableRoutes(
        ResolvedRoute route,
        Vpc vpc,
        TopologyView view,
        Dictionary<string, (string Router, string Region)> regionLinks,
        Dictionary<(string OnPrem, string Vpc), (string VpcSide, string OnPremSide)> vpnLinks)
    {
        TableRoute[] blackhole = [TableRoute.Blackhole(route.Destination)];
        var vpcIndex = Num(view.Model.Vpcs.IndexOf(vpc));
        switch (route.Kind)
        {
            case RouteTargetKind.PeeringConnection:
                return PeeringRoute(route, vpc, view) ?? blackhole;
            case RouteTargetKind.VpnGateway:
                var onPrem = view.OnPremisesFor(vpc.Id, route.TargetId, route.Destination);
                return onPrem is not null && vpnLinks.TryGetValue((onPrem.Id, vpc.Id), out var vpn)
                    ? [TableRoute.Via(route.Destination, $" via {vpn.OnPremSide} dev o{Num(view.Model.OnPremisesNetworks.IndexOf(onPrem))}v{vpcIndex}")]
                    : blackhole;
            case RouteTargetKind.GatewayEndpoint when RegionServices.Block.Contains(route.Destination):
                return [TableRoute.Via(route.Destination, $" via {regionLinks[vpc.Id].Region} dev rg{vpcIndex}") with { GatewayEndpointId = route.TargetId }];
            case RouteTargetKind.NatGateway or RouteTargetKind.InternetGateway:
                // The sandbox's only "internet" is the region: a NAT or internet route reaches its services.
                var reach = route.Destination.Contains(RegionServices.Block) ? RegionServices.Block
                    : RegionServices.Block.Contains(route.Destination) ? route.Destination : (Ipv4Cidr?)null;
                return reach is { } block ? [TableRoute.Via(block, $" via {regionLinks[vpc.Id].Region} dev rg{vpcIndex}")] : blackhole;
            default:
                return blackhole;
        }
    }

    /// <summary>
    /// An accepted peering route falls through to the main table for the part of its destination inside the peer
    /// VPC's block (the peer's hosts); the rest of the destination is a blackhole. Null for a pending peering or one
    /// that does not join this VPC.
    /// </summary>
    private static TableRoute[]? PeeringRoute(ResolvedRoute route, Vpc vpc, TopologyView view)
    {
        if (view.Peering(route.TargetId) is not { Accepted: true } peering)
        {
            return null;
        }

        var peerId = peering.RequesterVpcId == vpc.Id ? peering.AccepterVpcId : peering.AccepterVpcId == vpc.Id ? peering.RequesterVpcId : null;
        if (peerId is null || peerId == vpc.Id || view.Vpc(peerId) is null)
        {
            return null;
        }

        var peer = view.VpcCidr(peerId);
        if (peer.Contains(route.Destination))
        {
            return [TableRoute.FallThrough(route.Destination)];
        }

        return route.Destination.Contains(peer)
            ? [TableRoute.FallThrough(peer), TableRoute.Blackhole(route.Destination)]
            : null;
    }
}
