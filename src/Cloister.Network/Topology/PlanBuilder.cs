using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Firewall;

namespace Cloister.Network.Topology;

/// <summary>
/// Turns a model into a <see cref="NetworkPlan"/>: a router namespace per VPC and per on-premises network, a host
/// namespace per ENI, a region namespace, veth links between them, per-subnet routing tables selected by source
/// address, and nftables tables. Pure: the same model and prefix give the same plan.
/// </summary>
internal static partial class PlanBuilder
{
    public const string PublicFunctionAddress = "198.19.254.10";
    public const string PublicFunctionGateway = "198.19.254.1";
    public const string PublicResolverAddress = "198.18.0.2";

    private const string RouterForwarding = "net/ipv4/ip_forward";

    public static NetworkPlan Build(CloudModel model, string prefix)
    {
        var (vpcRouters, onPremRouters, hosts) = Allocate(model, prefix);
        var region = prefix + "rg";
        // Functions outside a VPC have no ENI of their own: they all send from this one host, which their names find.
        var outsideVpc = string.Join(',', model.Functions.Where(f => f.Vpc is null).Select(f => f.FunctionName).Distinct(StringComparer.Ordinal));
        var publicFunction = new HostPlan(
            HostKind.PublicFunction, "lambda-public", "lambda", null, outsideVpc.Length == 0 ? null : outsideVpc, prefix + "fn", region, "fn",
            PublicFunctionAddress, 24, PublicFunctionGateway, null, null, null, [], "localhost", PublicResolverAddress);
        hosts = hosts.Add(publicFunction);
        var view = new TopologyView(model, hosts);

        var links = new List<LinkPlan>();
        var linkIndex = 0;
        (string A, string B) NextLinkNet()
        {
            var net = new Ipv4Cidr(Ipv4Cidr.ParseAddress("169.254.0.0") + (uint)(4 * linkIndex++), 30);
            if (net.Contains(Ipv4Cidr.ParseAddress(TopologyView.LinkLocalResolverAddress)))
            {
                // Every VPC router holds the link-local resolver and metadata addresses (one /30); no link may use it.
                net = new Ipv4Cidr(Ipv4Cidr.ParseAddress("169.254.0.0") + (uint)(4 * linkIndex++), 30);
            }

            return (net.AddressAt(1), net.AddressAt(2));
        }

        // Region links: each VPC router reaches the region only where its route tables send traffic there.
        var regionLinks = new Dictionary<string, (string Router, string Region)>(StringComparer.Ordinal);
        for (var i = 0; i < model.Vpcs.Length; i++)
        {
            var (a, b) = NextLinkNet();
            links.Add(new LinkPlan(vpcRouters[model.Vpcs[i].Id], "rg" + Num(i), a, region, "v" + Num(i), b));
            regionLinks[model.Vpcs[i].Id] = (a, b);
        }

        // VPN links between an on-premises router and each VPC it is linked to.
        var vpnLinks = new Dictionary<(string OnPrem, string Vpc), (string VpcSide, string OnPremSide)>();
        for (var m = 0; m < model.OnPremisesNetworks.Length; m++)
        {
            var network = model.OnPremisesNetworks[m];
            foreach (var vpcId in network.LinkedVpcIds.Where(vpcRouters.ContainsKey))
            {
                var (a, b) = NextLinkNet();
                var i = model.Vpcs.IndexOf(model.Vpcs.First(v => v.Id == vpcId));
                links.Add(new LinkPlan(vpcRouters[vpcId], $"o{Num(m)}v{Num(i)}", a, onPremRouters[network.Id], "v" + Num(i), b));
                vpnLinks[(network.Id, vpcId)] = (a, b);
            }
        }

        foreach (var host in hosts)
        {
            links.Add(new LinkPlan(host.RouterNamespace, host.RouterInterface, null, host.Namespace, "eth0", null));
        }

        var namespaces = new List<NamespacePlan>
        {
            new(prefix + "sb", NamespaceRole.Sandbox, [], ["link set lo up"], null),
            Region(region, model, links, regionLinks, publicFunction),
        };

        var subnetRoutes = new Dictionary<string, IReadOnlyList<TableRoute>>(StringComparer.Ordinal);
        foreach (var router in vpcRouters.Values.Distinct(StringComparer.Ordinal))
        {
            namespaces.Add(VpcRouter(router, vpcRouters, view, links, regionLinks, vpnLinks, subnetRoutes));
        }

        for (var m = 0; m < model.OnPremisesNetworks.Length; m++)
        {
            namespaces.Add(OnPremisesRouter(model.OnPremisesNetworks[m], onPremRouters[model.OnPremisesNetworks[m].Id], view, vpnLinks));
        }

        foreach (var host in hosts)
        {
            namespaces.Add(Host(host));
        }

        var dnsServers = model.OnPremisesNetworks
            .Where(n => n.DnsServerAddress is not null)
            .Select(n => new DnsServerPlan(
                hosts.First(h => h.OnPremisesNetworkId == n.Id && h.Address == n.DnsServerAddress).Namespace,
                n.DnsServerAddress!,
                [.. n.DnsForwarders.Select(f => f.TargetIps.IsDefaultOrEmpty ? f with { TargetIps = InboundResolverAddresses(n, hosts, model) } : f)],
                [.. hosts.Where(h => h.OnPremisesNetworkId == n.Id).Select(h => KeyValuePair.Create(h.Hostname, h.Address))]))
            .ToImmutableArray();

        // Unpeered VPCs with one block each hold its .2 in their own router: the address is listed with both.
        var addresses = hosts.Select(h => (h.Address, h.Namespace))
            .Concat(model.Vpcs.Select(v => (TopologyView.ResolverAddress(v), vpcRouters[v.Id])))
            .Concat(RegionServices.Names.Select(s => (RegionServices.AddressOf(s)!, region)))
            .Append((PublicResolverAddress, region))
            .GroupBy(a => a.Item1, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Select(a => a.Item2).Distinct(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
        var origins = RegionOrigins.Build(model, hosts, subnetRoutes);
        return new NetworkPlan(prefix, [.. namespaces], [.. links], hosts, dnsServers, addresses, vpcRouters.ToImmutableDictionary(StringComparer.Ordinal), origins);
    }

    /// <summary>The hosts of a model (every ENI with its address), as <see cref="Build"/> places them.</summary>
    public static ImmutableArray<HostPlan> Hosts(CloudModel model) => Allocate(model, "x-").Hosts;

    private static (Dictionary<string, string> VpcRouters, Dictionary<string, string> OnPremRouters, ImmutableArray<HostPlan> Hosts) Allocate(CloudModel model, string prefix)
    {
        var problems = PlanValidator.Problems(model);
        if (problems.Count > 0)
        {
            throw new FabricException("The model's network cannot be built:\n  " + string.Join("\n  ", problems));
        }

        // VPCs joined by accepted peerings share one router namespace, so that peered traffic is forwarded once,
        // not handed over a link between two routers; each VPC keeps its own route tables and ACLs in it.
        var vpcRouters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (vpcId, first) in PeeringComponents(model))
        {
            vpcRouters[vpcId] = prefix + "v" + Num(first);
        }

        var onPremRouters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var m = 0; m < model.OnPremisesNetworks.Length; m++)
        {
            onPremRouters[model.OnPremisesNetworks[m].Id] = prefix + "o" + Num(m);
        }

        return (vpcRouters, onPremRouters, new HostAllocator(model, prefix, vpcRouters, onPremRouters).Allocate());
    }

    /// <summary>
    /// Re-renders a plan for a changed model: its namespaces (the caller applies only changed nftables tables), its hosts
    /// with their security groups (which the description, the path analyzer and the metadata service read), where each
    /// address lives and the origins of region connections, which follow the model's endpoints. The links and the DNS
    /// servers stay those that run: a live change never alters them.
    /// </summary>
    public static NetworkPlan Rerender(NetworkPlan plan, CloudModel model) =>
        Build(model, plan.Prefix) with { Links = plan.Links, DnsServers = plan.DnsServers };

    /// <summary>A forwarder with no target forwards to the inbound resolver endpoints of the linked VPCs, whose
    /// addresses are only known once assigned (the AWS template does not fix them).</summary>
    private static ImmutableArray<string> InboundResolverAddresses(OnPremisesNetwork network, ImmutableArray<HostPlan> hosts, CloudModel model)
    {
        var inbound = model.ResolverEndpoints
            .Where(e => e.Direction == Cloister.Model.Dns.ResolverDirection.Inbound && network.LinkedVpcIds.Contains(e.VpcId))
            .Select(e => e.Id)
            .ToHashSet(StringComparer.Ordinal);
        return [.. hosts.Where(h => h.Kind == HostKind.ResolverEndpoint && h.OwnerId is not null && inbound.Contains(h.OwnerId)).Select(h => h.Address)];
    }

    private static string Num(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static NamespacePlan Host(HostPlan host)
    {
        string[] commands =
        [
            "link set lo up",
            $"link set eth0 address {host.Mac}",
            "link set eth0 up",
            $"addr add {host.Address}/{Num(host.PrefixLength)} dev eth0",
            $"route add default via {host.Gateway} dev eth0",
            .. host.Kind == HostKind.LoadBalancerNode ? PreservedSourceRouting.NodeCommands() : [],
        ];
        // A host's security groups are enforced in its VPC router, which every packet to or from it passes.
        return new NamespacePlan(host.Namespace, NamespaceRole.Host, [], [.. commands], null);
    }

    private static NamespacePlan Region(string name, CloudModel model, List<LinkPlan> links, Dictionary<string, (string Router, string Region)> regionLinks, HostPlan publicFunction)
    {
        var commands = new List<string> { "link set lo up", $"addr add {PublicResolverAddress}/32 dev lo" };
        commands.AddRange(RegionServices.Names.Select(s => $"addr add {RegionServices.AddressOf(s)}/32 dev lo"));
        var marks = new List<(string Interface, uint Mark)>();
        for (var i = 0; i < model.Vpcs.Length; i++)
        {
            var (router, self) = regionLinks[model.Vpcs[i].Id];
            commands.Add($"link set v{Num(i)} up");
            commands.Add($"addr add {self}/30 dev v{Num(i)}");
            var mark = RegionOrigins.VpcMark(i);
            var block = Ipv4Cidr.Parse(model.Vpcs[i].CidrBlock);
            // The main table's route (the last VPC's, for a block several VPCs have) only lets an unmarked datagram be
            // sent; the mark of its flow then routes it again (NftRenderer.ForRegion).
            commands.Add($"route replace {block} via {router} dev v{Num(i)}");
            commands.Add($"route add {block} via {router} dev v{Num(i)} table {Num((int)mark)}");
            commands.Add($"rule add fwmark {Num((int)mark)} lookup {Num((int)mark)} pref {Num(1000 + i)}");
            marks.Add(("v" + Num(i), mark));
        }

        commands.Add($"link set {publicFunction.RouterInterface} up");
        commands.Add($"addr add {publicFunction.Gateway}/{Num(publicFunction.PrefixLength)} dev {publicFunction.RouterInterface}");
        marks.Add((publicFunction.RouterInterface, RegionOrigins.NoVpcMark));
        _ = links;
        return new NamespacePlan(name, NamespaceRole.Region, RegionSysctls, [.. commands], NftRenderer.ForRegion(marks));
    }

    /// <summary>
    /// The region forwards nothing, and a connection accepted there keeps the mark of its SYN, which the region's
    /// nftables table sets from the link it came in on (<see cref="RegionOrigins"/>). The mark is set in the region
    /// itself because a packet's mark does not survive the crossing from a router's namespace. The mark also routes
    /// the answers: each VPC's block is routed back over its own link in a table of its own, chosen by the mark, so
    /// two unpeered VPCs with the same block (which EC2 runs side by side) each get their answers. An accepted socket
    /// answers with its SYN's mark, the kernel's own resets and ICMP errors with the mark of the packet they answer
    /// (<c>fwmark_reflect</c>), and anything else the region sends with its flow's mark (the nftables table); the
    /// source check is off, since the main table routes a block several VPCs have to one of them only.
    /// </summary>
    private static readonly ImmutableArray<KeyValuePair<string, string>> RegionSysctls =
    [
        KeyValuePair.Create(RouterForwarding, "0"),
        KeyValuePair.Create("net/ipv4/tcp_fwmark_accept", "1"),
        KeyValuePair.Create("net/ipv4/fwmark_reflect", "1"),
        KeyValuePair.Create("net/ipv4/conf/*/rp_filter", "0"),
    ];

    private static NamespacePlan OnPremisesRouter(OnPremisesNetwork network, string name, TopologyView view, Dictionary<(string OnPrem, string Vpc), (string VpcSide, string OnPremSide)> vpnLinks)
    {
        var commands = new List<string> { "link set lo up" };
        AddHostInterfaces(commands, view.Hosts.Where(h => h.RouterNamespace == name));
        foreach (var ((onPrem, vpcId), (vpcSide, self)) in vpnLinks)
        {
            if (onPrem != network.Id)
            {
                continue;
            }

            var device = "v" + Num(view.Model.Vpcs.IndexOf(view.Model.Vpcs.First(v => v.Id == vpcId)));
            commands.Add($"link set {device} up");
            commands.Add($"addr add {self}/30 dev {device}");
            commands.Add($"route replace {view.VpcCidr(vpcId)} via {vpcSide} dev {device}");
        }

        return new NamespacePlan(name, NamespaceRole.OnPremisesRouter, RouterSysctls, [.. commands], NftRenderer.ForOnPremisesRouter(network));
    }

    private static readonly ImmutableArray<KeyValuePair<string, string>> RouterSysctls =
    [
        KeyValuePair.Create(RouterForwarding, "1"),
        KeyValuePair.Create("net/ipv4/conf/*/proxy_arp", "1"),
        KeyValuePair.Create("net/ipv4/conf/*/rp_filter", "0"),
    ];

    /// <summary>
    /// A VPC router forwards by policy routing, so the kernel would check every forwarded packet's source with a
    /// second full lookup (its reverse path through the egress interface's rules and tables) even with
    /// <c>rp_filter</c> off; <c>accept_local</c> skips that check. What it enforced that AWS does too — the router's
    /// own addresses are no source — is an nftables rule on new flows (<c>NftRenderer.ForVpcRouter</c>); what AWS does
    /// not do (dropping a packet whose destination subnet has no route back) goes. Early demultiplexing looks for a
    /// local socket before routing, which in a router that only forwards always misses.
    /// </summary>
    private static readonly ImmutableArray<KeyValuePair<string, string>> VpcRouterSysctls =
    [
        .. RouterSysctls,
        KeyValuePair.Create("net/ipv4/conf/all/accept_local", "1"),
        KeyValuePair.Create("net/ipv4/ip_early_demux", "0"),
    ];

    private static string HostRoute(HostPlan host) => $"{host.Address}/32 dev {host.RouterInterface} src {host.Gateway}";

    private static void AddHostInterfaces(List<string> commands, IEnumerable<HostPlan> hosts)
    {
        foreach (var host in hosts)
        {
            commands.Add($"link set {host.RouterInterface} up");
            commands.Add($"addr add {host.Gateway}/32 dev {host.RouterInterface}");
            commands.Add($"route add {HostRoute(host)}");
        }
    }
}
