using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Firewall;
using Cloister.Network.Topology;

namespace Cloister.Network.Reachability;

/// <summary>One analysis: walks forward, then back, recording hops until a component blocks.</summary>
public sealed partial class PathAnalyzer
{
    /// <remarks>
    /// A trace with an <paramref name="outer"/> one is the leg from a load balancer node to a target: it writes into the
    /// outer trace's hops, names no source (the load balancer is named already) and does not pass through another load
    /// balancer. Its <paramref name="presentedSource"/> is the client's address when the target group preserves client
    /// IPs: the target's ACL and security groups judge that address, as the fabric's tables do (the node connects from
    /// it), while routes stay the node's (the router sends the answers back to the node).
    /// </remarks>
    private sealed partial class Trace(PathAnalyzer analyzer, HostPlan source, uint destination, int protocol, int port, Trace? outer = null, uint? presentedSource = null)
    {
        private readonly TopologyView _view = analyzer._view;
        private readonly uint _sourceAddress = Ipv4Cidr.ParseAddress(source.Address);
        private readonly uint _presentedSource = presentedSource ?? Ipv4Cidr.ParseAddress(source.Address);

        public List<PathComponent> Forward { get; } = outer?.Forward ?? [];

        public List<PathComponent> Return { get; } = outer?.Return ?? [];

        private string DestinationText => Ipv4Cidr.FormatAddress(destination);

        public PathExplanation? Run()
        {
            if (outer is null)
            {
                EndHops(Forward, source, $"source {source.Address}", leaving: true);
            }

            var target = _view.HostAt(destination, source);
            if (source.Kind == HostKind.PublicFunction)
            {
                return RegionService(Forward, "no VPC: the function reaches only the region's services") ?? null;
            }

            if (source.VpcId is null)
            {
                return FromOnPremises(target);
            }

            var sourceVpc = _view.Vpc(source.VpcId)!;
            if (TopologyView.IsResolverAddress(sourceVpc, destination))
            {
                // Security groups and ACLs do not filter traffic to the Amazon DNS server.
                return port == 53 && protocol is Protocols.Tcp or Protocols.Udp
                    ? Hop(Forward, "AWS::Route53Resolver::Resolver", sourceVpc.Id, $"Amazon DNS server {DestinationText}")
                    : Block(ExplanationCodes.DestinationPortMismatch, "AWS::Route53Resolver::Resolver", sourceVpc.Id, "forward", "the VPC resolver answers DNS (port 53) only");
            }

            if (destination == InstanceMetadataAddress)
            {
                // Like the resolver, the metadata service is the VPC router's own: no security group or ACL filters it.
                return port == 80 && protocol == Protocols.Tcp
                    ? Hop(Forward, MetadataType, sourceVpc.Id, $"instance metadata service {DestinationText}")
                    : Block(ExplanationCodes.DestinationPortMismatch, MetadataType, sourceVpc.Id, "forward", "the instance metadata service answers HTTP (TCP port 80) only");
            }

            if (SecurityGroup(Forward, source, ingress: false, destination) is { } egress)
            {
                return egress;
            }

            var sourceSubnet = _view.Subnet(source.SubnetId)!;
            var sameSubnet = target is not null && target.SubnetId == source.SubnetId;
            if (!sameSubnet && Acl(Forward, sourceSubnet, egress: true, destination, port, "forward") is { } aclOut)
            {
                return aclOut;
            }

            if (_view.LocalRouteOverride(sourceSubnet, destination) is { } overriding)
            {
                Hop(Forward, RouteTableType, overriding.RouteTableId, $"{overriding.DestinationText} -> {overriding.Kind} {overriding.TargetId}");
                return Block(ExplanationCodes.CannotRoute, RouteTableType, overriding.RouteTableId, "forward", CarriesNothing(overriding));
            }

            if (_view.VpcCidr(sourceVpc.Id).Contains(destination))
            {
                Hop(Forward, RouteTableType, _view.RouteTableOf(sourceSubnet)?.Id ?? sourceVpc.Id, $"local {sourceVpc.CidrBlock}");
                return target?.VpcId == sourceVpc.Id
                    ? Arrive(target, sameSubnet)
                    : Block(ExplanationCodes.CannotRoute, RouteTableType, sourceVpc.Id, "forward", $"no network interface has address {DestinationText} in {sourceVpc.Id}");
            }

            var route = _view.Lookup(sourceSubnet, destination);
            if (route is null)
            {
                return Block(ExplanationCodes.CannotRoute, RouteTableType, _view.RouteTableOf(sourceSubnet)?.Id ?? sourceSubnet.Id, "forward",
                    $"the route table of {sourceSubnet.Id} has no route to {DestinationText}");
            }

            Hop(Forward, RouteTableType, route.RouteTableId, $"{route.DestinationText} -> {route.Kind} {route.TargetId}");
            return route.Kind switch
            {
                RouteTargetKind.PeeringConnection => ThroughPeering(route, sourceVpc, target),
                RouteTargetKind.VpnGateway => ThroughVpn(route, sourceVpc, target),
                RouteTargetKind.GatewayEndpoint or RouteTargetKind.NatGateway or RouteTargetKind.InternetGateway when RegionServices.Block.Contains(destination) =>
                    Hop(Forward, route.Kind == RouteTargetKind.GatewayEndpoint ? EndpointType : "AWS::EC2::" + route.Kind, route.TargetId, "to the region") ??
                    RegionService(Forward, null) ?? ReturnIntoSource(RegionServices.ServiceAt(destination) ?? "region"),
                _ => Block(ExplanationCodes.CannotRoute, RouteTableType, route.RouteTableId, "forward", CarriesNothing(route)),
            };
        }

        private PathExplanation? FromOnPremises(HostPlan? target)
        {
            var network = _view.Model.OnPremisesNetworks.First(n => n.Id == source.OnPremisesNetworkId);
            if (Ipv4Cidr.Parse(network.CidrBlock).Contains(destination))
            {
                return target is not null
                    ? EndHops(Forward, target, $"destination {target.Address}", leaving: false)
                    : Block(ExplanationCodes.CannotRoute, OnPremType, network.Id, "forward", $"no host has address {DestinationText}");
            }

            var vpc = _view.Model.Vpcs.FirstOrDefault(v => network.LinkedVpcIds.Contains(v.Id) && _view.VpcCidr(v.Id).Contains(destination));
            if (vpc is null)
            {
                return Block(ExplanationCodes.CannotRoute, OnPremType, network.Id, "forward", $"{network.LogicalId} has no route to {DestinationText}");
            }

            Hop(Forward, VpnType, network.Id, $"{network.CidrBlock} <-> {vpc.Id}");
            if (target?.VpcId != vpc.Id)
            {
                return Block(ExplanationCodes.CannotRoute, RouteTableType, vpc.Id, "forward", $"no network interface has address {DestinationText} in {vpc.Id}");
            }

            return Arrive(target, sameSubnet: false);
        }

        private PathExplanation? ThroughPeering(ResolvedRoute route, Vpc sourceVpc, HostPlan? target)
        {
            var peering = _view.Peering(route.TargetId);
            if (peering is null || !TopologyView.Joins(peering, sourceVpc.Id, peering.RequesterVpcId == sourceVpc.Id ? peering.AccepterVpcId : peering.RequesterVpcId))
            {
                return Block(ExplanationCodes.CannotRoute, PeeringType, route.TargetId, "forward", $"peering connection {route.TargetId} does not exist");
            }

            if (!peering.Accepted)
            {
                return Block(ExplanationCodes.BadState, PeeringType, peering.Id, "forward", $"peering connection {peering.Id} is pending acceptance");
            }

            var peerVpcId = peering.RequesterVpcId == sourceVpc.Id ? peering.AccepterVpcId : peering.RequesterVpcId;
            if (!_view.VpcCidr(peerVpcId).Contains(destination))
            {
                return Block(ExplanationCodes.CannotRoute, PeeringType, peering.Id, "forward", $"{DestinationText} is not in {peerVpcId}: peering is not transitive");
            }

            Hop(Forward, PeeringType, peering.Id, $"{sourceVpc.Id} -> {peerVpcId}");
            return target?.VpcId == peerVpcId
                ? Arrive(target, sameSubnet: false)
                : Block(ExplanationCodes.CannotRoute, RouteTableType, peerVpcId, "forward", $"no network interface has address {DestinationText} in {peerVpcId}");
        }

        private PathExplanation? ThroughVpn(ResolvedRoute route, Vpc sourceVpc, HostPlan? target)
        {
            var network = _view.OnPremisesFor(sourceVpc.Id, route.TargetId, new Ipv4Cidr(destination, 32));
            if (network is null || !Ipv4Cidr.Parse(network.CidrBlock).Contains(destination))
            {
                return Block(ExplanationCodes.CannotRoute, VpnType, route.TargetId, "forward", $"no on-premises network linked to {sourceVpc.Id} holds {DestinationText}");
            }

            Hop(Forward, VpnType, network.Id, $"{sourceVpc.Id} -> {network.CidrBlock}");
            if (target is null || target.OnPremisesNetworkId != network.Id)
            {
                return Block(ExplanationCodes.CannotRoute, OnPremType, network.Id, "forward", $"no host has address {DestinationText}");
            }

            EndHops(Forward, target, $"destination {target.Address}", leaving: false);
            return ReturnIntoSource(target.Id);
        }

        /// <summary>The destination side in a VPC: its subnet's ACL (unless in the source subnet), its security groups, then the return path.</summary>
        private PathExplanation? Arrive(HostPlan target, bool sameSubnet)
        {
            var subnet = _view.Subnet(target.SubnetId)!;
            if (!sameSubnet && Acl(Forward, subnet, egress: false, _presentedSource, port, "forward") is { } aclIn)
            {
                return aclIn;
            }

            if (SecurityGroup(Forward, target, ingress: true, _presentedSource) is { } ingress)
            {
                return ingress;
            }

            var balancer = outer is null && target.Kind == HostKind.LoadBalancerNode ? _view.Model.LoadBalancers.FirstOrDefault(b => b.Id == target.OwnerId) : null;
            if (balancer is null)
            {
                EndHops(Forward, target, $"destination {target.Address}", leaving: false);
            }
            else if (ThroughLoadBalancer(target, balancer) is { } blocked)
            {
                return blocked;
            }

            var from = balancer?.Name ?? target.Id;
            if (target.VpcId == source.VpcId && _view.LocalRouteOverride(subnet, _sourceAddress) is { } overriding)
            {
                return Block(ExplanationCodes.CannotRoute, RouteTableType, overriding.RouteTableId, "return",
                    $"the route table of {subnet.Id} sends {source.Address} by {overriding.DestinationText}, not the local route: {CarriesNothing(overriding)}");
            }

            if (sameSubnet)
            {
                return ReturnIntoSource(from, crossesAcl: false);
            }

            // Return traffic leaves the target's subnet by its own route table and ACL, to the client's ephemeral port.
            if (AclEphemeral(Return, subnet, egress: true, _presentedSource) is { } aclBack)
            {
                return aclBack;
            }

            if (target.VpcId != source.VpcId)
            {
                var back = _view.Lookup(subnet, _sourceAddress);
                var reaches = back is not null && back.Kind switch
                {
                    RouteTargetKind.PeeringConnection => _view.Peering(back.TargetId) is { Accepted: true } p && source.VpcId is not null && TopologyView.Joins(p, target.VpcId!, source.VpcId),
                    RouteTargetKind.VpnGateway => source.OnPremisesNetworkId is not null && _view.OnPremisesFor(target.VpcId!, back.TargetId, new Ipv4Cidr(_sourceAddress, 32))?.Id == source.OnPremisesNetworkId,
                    _ => false,
                };
                if (!reaches)
                {
                    return Block(ExplanationCodes.CannotRoute, RouteTableType, _view.RouteTableOf(subnet)?.Id ?? subnet.Id, "return",
                        $"the route table of {subnet.Id} has no route back to {source.Address}");
                }

                Hop(Return, RouteTableType, back!.RouteTableId, $"{back.DestinationText} -> {back.Kind} {back.TargetId}");
            }

            return ReturnIntoSource(from);
        }

        /// <summary>The return traffic enters the source's subnet through its ACL (none within a subnet; on-premises has none).</summary>
        private PathExplanation? ReturnIntoSource(string from, bool crossesAcl = true)
        {
            if (crossesAcl && source.SubnetId is { } subnetId && AclEphemeral(Return, _view.Subnet(subnetId)!, egress: false, destination) is { } aclIn)
            {
                return aclIn;
            }

            if (outer is not null)
            {
                return Hop(Return, ElbType, source.OwnerId ?? source.Id, $"back from {from} to node {source.Address}");
            }

            EndHops(Return, source, $"back from {from}", leaving: false);
            return null;
        }

        private PathExplanation? RegionService(List<PathComponent> hops, string? reason)
        {
            var service = RegionServices.ServiceAt(destination);
            if (service is null || Ipv4Cidr.ParseAddress(RegionServices.AddressOf(service)!) != destination)
            {
                return Block(ExplanationCodes.CannotRoute, "Cloister::Region::Service", DestinationText, "forward", reason ?? $"no regional service has address {DestinationText}");
            }

            return Hop(hops, "Cloister::Region::Service", service, $"{service} at {DestinationText}");
        }

        private PathExplanation? SecurityGroup(List<PathComponent> hops, HostPlan host, bool ingress, uint peer)
        {
            if (host.SecurityGroupIds is [TopologyView.UnfilteredGroupId])
            {
                // A network load balancer created without security groups filters nothing, and has no group to name.
                return null;
            }

            var direction = ingress ? "inbound" : "outbound";
            if (analyzer.AllowingRule(host, ingress, peer, protocol, port) is { } allowed)
            {
                return Hop(hops, GroupType, allowed.Group.Id, $"{direction} rule {Describe(allowed.Rule)}");
            }

            var groups = string.Join(", ", host.SecurityGroupIds);
            return Block(ExplanationCodes.EniSecurityGroupRulesMismatch, GroupType, groups, "forward",
                $"no {direction} rule of {groups} on {host.Id} allows {What(port)} {(ingress ? "from" : "to")} {Ipv4Cidr.FormatAddress(peer)}");
        }

        private PathExplanation? Acl(List<PathComponent> hops, Subnet subnet, bool egress, uint peer, int aclPort, string direction)
        {
            var acl = _view.AclOf(subnet);
            if (acl is null)
            {
                return Hop(hops, AclType, "default", $"{subnet.Id} default network ACL allows all");
            }

            var entry = AclDecision(acl, egress, peer, protocol, aclPort, Protocols.EchoRequest);
            return entry is { Allow: true }
                ? Hop(hops, AclType, acl.Id, $"{(egress ? "outbound" : "inbound")} {Describe(entry)}")
                : Block(ExplanationCodes.SubnetAclRestriction, AclType, acl.Id, direction,
                    $"{(egress ? "outbound" : "inbound")} {(entry is null ? "rule * deny" : Describe(entry))} of {subnet.Id} blocks {What(aclPort)} {(egress ? "to" : "from")} {Ipv4Cidr.FormatAddress(peer)}");
        }

        private PathExplanation? AclEphemeral(List<PathComponent> hops, Subnet subnet, bool egress, uint peer)
        {
            var acl = _view.AclOf(subnet);
            if (acl is null)
            {
                return Hop(hops, AclType, "default", $"{subnet.Id} default network ACL allows all");
            }

            var way = egress ? "outbound" : "inbound";
            if (protocol == Protocols.Icmp)
            {
                // Stateless: the echo reply must pass too.
                var reply = AclDecision(acl, egress, peer, protocol, -1, Protocols.EchoReply);
                return reply is { Allow: true }
                    ? Hop(hops, AclType, acl.Id, $"{way} {Describe(reply)}: icmp echo reply")
                    : Block(ExplanationCodes.SubnetAclRestriction, AclType, acl.Id, "return",
                        $"{way} {(reply is null ? "rule * deny" : Describe(reply))} of {subnet.Id} blocks the icmp echo reply {(egress ? "to" : "from")} {Ipv4Cidr.FormatAddress(peer)}");
            }

            // Stateless: every port the client may have picked must be allowed back. Within one of these ranges no entry
            // starts or ends, so its first port decides for all of it.
            var (first, last) = EphemeralPorts;
            var denied = new List<string>();
            foreach (var (from, to) in AclPortRanges(acl, egress, first, last))
            {
                var entry = AclDecision(acl, egress, peer, protocol, from, Protocols.EchoReply);
                if (entry is not { Allow: true })
                {
                    var ports = from == to ? $"port {from}" : $"ports {from}-{to}";
                    denied.Add($"{ports} ({(entry is null ? "rule * deny" : Describe(entry))})");
                }
            }

            return denied.Count > 0
                ? Block(ExplanationCodes.SubnetAclRestriction, AclType, acl.Id, "return", $"{way} rules of {subnet.Id} block return traffic to {string.Join(", ", denied)} of {first}-{last}")
                : Hop(hops, AclType, acl.Id, $"{way} return traffic to ports {first}-{last}");
        }

        private static string CarriesNothing(ResolvedRoute route) => $"route {route.DestinationText} -> {route.Kind} {route.TargetId} carries no traffic in the sandbox";

        /// <summary>What the analysis sends, in messages: a port, or for ICMP the echo request.</summary>
        private string What(int toPort) => protocol == Protocols.Icmp ? "icmp echo request" : $"{Protocols.Name(protocol)} {toPort}";

        private static PathExplanation? Hop(List<PathComponent> hops, string type, string id, string detail)
        {
            hops.Add(new PathComponent(hops.Count + 1, type, id, detail));
            return null;
        }

        private static PathExplanation Block(string code, string type, string id, string direction, string message) => new(code, type, id, direction, message);
    }
}
