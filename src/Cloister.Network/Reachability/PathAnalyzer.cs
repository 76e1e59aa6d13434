using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;
using Cloister.Network.Firewall;
using Cloister.Network.Topology;

namespace Cloister.Network.Reachability;

/// <summary>
/// Reachability over the model, as VPC Reachability Analyzer reports it: no packet is sent. It follows the same
/// <see cref="TopologyView"/> the fabric is built from, through security groups (stateful), network ACLs
/// (stateless, both directions, return traffic to the client's ephemeral ports), the route table of the subnet
/// the traffic leaves, peering (accepted, never transitive), VPN links and gateway endpoints.
/// </summary>
public sealed partial class PathAnalyzer
{
    /// <summary>The client ports Linux picks from in every namespace; return traffic must pass the ACLs for all of them.</summary>
    internal static readonly (int First, int Last) EphemeralPorts = (32768, 60999);

    private readonly TopologyView _view;

    /// <summary>An analyzer over <paramref name="model"/> and the hosts the sandbox placed.</summary>
    public PathAnalyzer(CloudModel model, ImmutableArray<HostPlan> hosts)
    {
        ArgumentNullException.ThrowIfNull(model);
        _view = new TopologyView(model, hosts);
    }

    /// <summary>Analyzes traffic from <paramref name="source"/> to <paramref name="destinationAddress"/>:<paramref name="port"/>.</summary>
    public PathResult Analyze(HostPlan source, string destinationAddress, int port, string protocol = "tcp", string? destinationName = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var number = Protocols.Number(protocol) ?? Protocols.Tcp;
        var trace = new Trace(this, source, Ipv4Cidr.ParseAddress(destinationAddress), number, port);
        var explanation = trace.Run();
        return new PathResult(
            explanation is null, source.Id, source.Address, destinationName ?? destinationAddress, destinationAddress,
            Protocols.Name(number), port, [.. trace.Forward], explanation is null ? [.. trace.Return] : [],
            explanation is null ? [] : [explanation]);
    }

    private const string InstanceType = "AWS::EC2::Instance";
    private const string EniType = "AWS::EC2::NetworkInterface";
    private const string OnPremHostType = "Cloister::OnPremises::Host";
    private const string ElbType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    private const string ElbListenerType = "AWS::ElasticLoadBalancingV2::Listener";
    private const string ElbTargetGroupType = "AWS::ElasticLoadBalancingV2::TargetGroup";
    private const string GroupType = "AWS::EC2::SecurityGroup";
    private const string AclType = "AWS::EC2::NetworkAcl";
    private const string RouteTableType = "AWS::EC2::RouteTable";
    private const string PeeringType = "AWS::EC2::VPCPeeringConnection";
    private const string VpnType = "AWS::EC2::VPNConnection";
    private const string EndpointType = "AWS::EC2::VPCEndpoint";
    private const string OnPremType = "Cloister::OnPremises::Network";
    private const string MetadataType = "Cloister::EC2::InstanceMetadataService";
    private static readonly uint InstanceMetadataAddress = Ipv4Cidr.ParseAddress(TopologyView.InstanceMetadataAddress);

    /// <summary>The security group rule of <paramref name="host"/> that allows the packet, if any.</summary>
    private (SecurityGroup Group, SecurityGroupRule Rule)? AllowingRule(HostPlan host, bool ingress, uint peer, int protocol, int port)
    {
        foreach (var group in _view.GroupsOf(host))
        {
            foreach (var rule in ingress ? group.Ingress : group.Egress)
            {
                // Security groups judge a flow's first packet only: for an ICMP analysis, the echo request.
                if (Protocols.Matches(rule.Protocol, rule.FromPort, rule.ToPort, protocol, port) &&
                    Protocols.IcmpAdmits(rule.Protocol, rule.FromPort, rule.ToPort, protocol, Protocols.EchoRequest) && PeerMatches(host, rule, peer))
                {
                    return (group, rule);
                }
            }
        }

        return null;
    }

    private bool PeerMatches(HostPlan host, SecurityGroupRule rule, uint peer)
    {
        if (rule.Cidr is not null)
        {
            return Ipv4Cidr.ParseOrNull(rule.Cidr) is { } block && block.Contains(peer);
        }

        if (rule.PrefixListId is not null)
        {
            return _view.PrefixListBlocks(rule.PrefixListId).Any(b => b.Contains(peer));
        }

        return rule.ReferencedGroupId is not null && _view.HostAt(peer, host) is { } member && member.SecurityGroupIds.Contains(rule.ReferencedGroupId);
    }

    /// <summary>
    /// <paramref name="first"/>..<paramref name="last"/> cut where an entry's port range (of the direction) starts or
    /// ends: every port of one piece gets the same decision from the ACL.
    /// </summary>
    internal static IEnumerable<(int From, int To)> AclPortRanges(NetworkAcl acl, bool egress, int first, int last)
    {
        var starts = new SortedSet<int> { first };
        foreach (var entry in acl.Entries.Where(e => e.Egress == egress && e.FromPort >= 0 && e.ToPort >= e.FromPort))
        {
            foreach (var start in (ReadOnlySpan<int>)[entry.FromPort, entry.ToPort + 1])
            {
                if (start > first && start <= last)
                {
                    starts.Add(start);
                }
            }
        }

        var ordered = starts.ToList();
        return ordered.Select((start, i) => (start, i + 1 < ordered.Count ? ordered[i + 1] - 1 : last));
    }

    /// <summary>
    /// The first ACL entry (by rule number) that matches a packet to or from <paramref name="port"/>, or for ICMP, the
    /// message <paramref name="icmp"/>; null means the implicit deny.
    /// </summary>
    private static NetworkAclEntry? AclDecision(NetworkAcl acl, bool egress, uint peer, int protocol, int port, (int Type, int Code) icmp) =>
        acl.Entries
            .Where(e => e.Egress == egress)
            .OrderBy(e => e.RuleNumber)
            .FirstOrDefault(e => Ipv4Cidr.ParseOrNull(e.Cidr) is { } block && block.Contains(peer) && Protocols.Matches(e.Protocol, e.FromPort, e.ToPort, protocol, port) &&
                Protocols.IcmpAdmits(e.Protocol, e.IcmpType, e.IcmpCode, protocol, icmp));

    private static string Describe(SecurityGroupRule rule)
    {
        var peer = rule.Cidr ?? rule.PrefixListId ?? rule.ReferencedGroupId ?? "?";
        var ports = rule.AllProtocols || rule.FromPort < 0 ? "all ports" : rule.FromPort == rule.ToPort
            ? rule.FromPort.ToString(CultureInfo.InvariantCulture)
            : $"{rule.FromPort.ToString(CultureInfo.InvariantCulture)}-{rule.ToPort.ToString(CultureInfo.InvariantCulture)}";
        return $"{(rule.AllProtocols ? "all traffic" : rule.Protocol)} {ports} {peer}";
    }

    private static string Describe(NetworkAclEntry entry)
    {
        var icmp = Protocols.Number(entry.Protocol) == Protocols.Icmp && Protocols.IsIcmpValue(entry.IcmpType)
            ? $" type {entry.IcmpType.ToString(CultureInfo.InvariantCulture)}{(Protocols.IsIcmpValue(entry.IcmpCode) ? " code " + entry.IcmpCode.ToString(CultureInfo.InvariantCulture) : string.Empty)}"
            : string.Empty;
        return $"rule {entry.RuleNumber.ToString(CultureInfo.InvariantCulture)} {(entry.Allow ? "allow" : "deny")} {entry.Protocol}{icmp} {entry.Cidr}";
    }
}
