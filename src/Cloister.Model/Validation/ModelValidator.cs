using System.Net;
using System.Net.Sockets;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Model.Validation;

/// <summary>
/// Checks a <see cref="CloudModel"/> as AWS would refuse it: malformed CIDRs, references to
/// resources that do not exist, subnets outside their VPC, overlapping peers, endpoints with too
/// few addresses. Every problem is reported, each naming the resource and the property.
/// </summary>
public static partial class ModelValidator
{
    /// <summary>Validates <paramref name="model"/>, returning every problem found.</summary>
    public static ValidationResult Validate(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new ProblemCollector();
        var vpcs = Index(model.Vpcs);
        var subnets = Index(model.Subnets);
        var groups = model.SecurityGroups.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var prefixLists = RegionalServices.KnownPrefixListIds(model);

        CheckUniqueIds(model, problems);
        foreach (var vpc in model.Vpcs)
        {
            problems.RequireCidr(vpc.CidrBlock, Name(vpc), "CidrBlock");
        }

        foreach (var subnet in model.Subnets)
        {
            CheckSubnet(subnet, vpcs, problems);
        }

        foreach (var peering in model.PeeringConnections)
        {
            CheckPeering(peering, vpcs, problems);
        }

        foreach (var table in model.RouteTables)
        {
            RequireReference(problems, vpcs.ContainsKey(table.VpcId), table, "VpcId", table.VpcId);
            foreach (var subnetId in table.SubnetIds)
            {
                RequireReference(problems, subnets.ContainsKey(subnetId), table, "SubnetIds", subnetId);
            }

            for (var i = 0; i < table.Routes.Length; i++)
            {
                var route = table.Routes[i];
                if (!route.IsPrefixListDestination)
                {
                    problems.RequireCidr(route.Destination, Name(table), $"Routes[{i}].DestinationCidrBlock", ipv4Only: false);
                }
                else
                {
                    problems.Require(prefixLists.Contains(route.Destination), Name(table), $"Routes[{i}].DestinationPrefixListId", $"The prefix list ID '{route.Destination}' does not exist.");
                }
            }
        }

        foreach (var group in model.SecurityGroups)
        {
            CheckSecurityGroup(group, vpcs, groups, prefixLists, problems);
        }

        foreach (var instance in model.Instances)
        {
            CheckInstance(instance, subnets, groups, problems);
        }

        foreach (var endpoint in model.ResolverEndpoints)
        {
            CheckResolverEndpoint(endpoint, vpcs, subnets, problems);
        }

        var endpointIds = model.ResolverEndpoints.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in model.ResolverRules)
        {
            CheckResolverRule(rule, endpointIds, problems);
        }

        var ruleIds = model.ResolverRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var association in model.ResolverRuleAssociations)
        {
            RequireReference(problems, ruleIds.Contains(association.ResolverRuleId), association, "ResolverRuleId", association.ResolverRuleId);
            RequireReference(problems, vpcs.ContainsKey(association.VpcId), association, "VPCId", association.VpcId);
        }

        CheckRuleAssociations(model, problems);

        foreach (var endpoint in model.VpcEndpoints)
        {
            RequireReference(problems, vpcs.ContainsKey(endpoint.VpcId), endpoint, "VpcId", endpoint.VpcId);
            foreach (var subnetId in endpoint.SubnetIds)
            {
                RequireReference(problems, subnets.ContainsKey(subnetId), endpoint, "SubnetIds", subnetId);
            }
        }

        CheckLoadBalancing(model, vpcs, subnets, groups, problems);
        return problems.ToResult();
    }

    private static void CheckUniqueIds(CloudModel model, ProblemCollector problems)
    {
        IEnumerable<IResource> all =
        [
            .. model.Vpcs, .. model.Subnets, .. model.RouteTables, .. model.PeeringConnections, .. model.SecurityGroups,
            .. model.NetworkAcls, .. model.VpcEndpoints, .. model.Instances, .. model.ResolverEndpoints, .. model.ResolverRules,
            .. model.RestApis, .. model.Functions, .. model.Tables,
        ];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in all)
        {
            if (!seen.Add(resource.Id))
            {
                problems.Add(Name(resource), "Id", $"'{resource.Id}' is used by another resource.");
            }
        }
    }

    private static void CheckSubnet(Subnet subnet, Dictionary<string, Vpc> vpcs, ProblemCollector problems)
    {
        var cidrOk = problems.RequireCidr(subnet.CidrBlock, Name(subnet), "CidrBlock");
        if (!vpcs.TryGetValue(subnet.VpcId, out var vpc))
        {
            RequireReference(problems, false, subnet, "VpcId", subnet.VpcId);
            return;
        }

        if (cidrOk && IPNetwork.TryParse(vpc.CidrBlock, out var vpcNet) && IPNetwork.TryParse(subnet.CidrBlock, out var subnetNet))
        {
            problems.Require(
                vpcNet.Contains(subnetNet.BaseAddress) && subnetNet.PrefixLength >= vpcNet.PrefixLength,
                Name(subnet),
                "CidrBlock",
                $"The CIDR '{subnet.CidrBlock}' is invalid for VPC {Name(vpc)} ({vpc.CidrBlock}).");
            problems.Require(
                subnetNet.PrefixLength is >= 16 and <= 28,
                Name(subnet),
                "CidrBlock",
                $"The CIDR '{subnet.CidrBlock}' must have a prefix length between /16 and /28.");
        }
    }

    private static void CheckPeering(PeeringConnection peering, Dictionary<string, Vpc> vpcs, ProblemCollector problems)
    {
        var hasRequester = vpcs.TryGetValue(peering.RequesterVpcId, out var requester);
        var hasAccepter = vpcs.TryGetValue(peering.AccepterVpcId, out var accepter);
        RequireReference(problems, hasRequester, peering, "VpcId", peering.RequesterVpcId);
        RequireReference(problems, hasAccepter, peering, "PeerVpcId", peering.AccepterVpcId);
        if (requester is null || accepter is null)
        {
            return;
        }

        if (requester.Id == accepter.Id)
        {
            problems.Add(Name(peering), "PeerVpcId", "A VPC cannot be peered with itself.");
        }
        else if (IPNetwork.TryParse(requester.CidrBlock, out var a) && IPNetwork.TryParse(accepter.CidrBlock, out var b) && Overlaps(a, b))
        {
            problems.Add(Name(peering), "PeerVpcId", $"The CIDRs of {Name(requester)} ({requester.CidrBlock}) and {Name(accepter)} ({accepter.CidrBlock}) overlap.");
        }
    }

    private static void CheckSecurityGroup(SecurityGroup group, Dictionary<string, Vpc> vpcs, HashSet<string> groups, HashSet<string> prefixLists, ProblemCollector problems)
    {
        RequireReference(problems, vpcs.ContainsKey(group.VpcId), group, "VpcId", group.VpcId);
        CheckRules(group, group.Ingress, "SecurityGroupIngress", groups, prefixLists, problems);
        CheckRules(group, group.Egress, "SecurityGroupEgress", groups, prefixLists, problems);
    }

    private static void CheckRules(SecurityGroup group, IReadOnlyList<SecurityGroupRule> rules, string property, HashSet<string> groups, HashSet<string> prefixLists, ProblemCollector problems)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var where = $"{property}[{i}]";
            var sources = (rule.Cidr is null ? 0 : 1) + (rule.PrefixListId is null ? 0 : 1) + (rule.ReferencedGroupId is null ? 0 : 1);
            problems.Require(sources == 1, Name(group), where, "needs exactly one of CidrIp/CidrIpv6, SourcePrefixListId/DestinationPrefixListId and a security group id.");
            problems.Require(rule.Protocol is "-1" or "tcp" or "udp" or "icmp" or "icmpv6" || int.TryParse(rule.Protocol, out _), Name(group), $"{where}.IpProtocol", $"'{rule.Protocol}' is not a protocol.");
            if (rule.Protocol is "tcp" or "udp")
            {
                problems.Require(rule.FromPort is >= 0 and <= 65535 && rule.ToPort is >= 0 and <= 65535 && rule.FromPort <= rule.ToPort, Name(group), $"{where}.FromPort", $"ports {rule.FromPort}-{rule.ToPort} are not a valid range.");
            }

            if (rule.Cidr is not null)
            {
                problems.RequireCidr(rule.Cidr, Name(group), $"{where}.CidrIp", ipv4Only: false);
            }

            if (rule.ReferencedGroupId is not null)
            {
                problems.Require(groups.Contains(rule.ReferencedGroupId), Name(group), $"{where}.SourceSecurityGroupId", $"The security group '{rule.ReferencedGroupId}' does not exist.");
            }

            // AWS refuses an unknown id (the customer's lists and the AWS-managed service lists are known).
            if (rule.PrefixListId is not null)
            {
                var field = property == "SecurityGroupEgress" ? "DestinationPrefixListId" : "SourcePrefixListId";
                problems.Require(prefixLists.Contains(rule.PrefixListId), Name(group), $"{where}.{field}", $"The prefix list ID '{rule.PrefixListId}' does not exist.");
            }
        }
    }

    private static void CheckInstance(Instance instance, Dictionary<string, Subnet> subnets, HashSet<string> groups, ProblemCollector problems)
    {
        foreach (var groupId in instance.SecurityGroupIds)
        {
            RequireReference(problems, groups.Contains(groupId), instance, "SecurityGroupIds", groupId);
        }

        if (!subnets.TryGetValue(instance.SubnetId, out var subnet))
        {
            RequireReference(problems, false, instance, "SubnetId", instance.SubnetId);
            return;
        }

        if (instance.PrivateIpAddress is { } ip)
        {
            CheckAddressInSubnet(ip, subnet, instance, "PrivateIpAddress", problems);
        }
    }

    private static void CheckResolverEndpoint(ResolverEndpoint endpoint, Dictionary<string, Vpc> vpcs, Dictionary<string, Subnet> subnets, ProblemCollector problems)
    {
        RequireReference(problems, vpcs.ContainsKey(endpoint.VpcId), endpoint, "VpcId", endpoint.VpcId);
        problems.Require(endpoint.IpAddresses.Length is >= 2 and <= 6, Name(endpoint), "IpAddresses", $"A Resolver endpoint needs 2 to 6 IP addresses; it has {endpoint.IpAddresses.Length}.");
        for (var i = 0; i < endpoint.IpAddresses.Length; i++)
        {
            var address = endpoint.IpAddresses[i];
            if (!subnets.TryGetValue(address.SubnetId, out var subnet))
            {
                RequireReference(problems, false, endpoint, $"IpAddresses[{i}].SubnetId", address.SubnetId);
                continue;
            }

            problems.Require(subnet.VpcId == endpoint.VpcId, Name(endpoint), $"IpAddresses[{i}].SubnetId", $"The subnet '{address.SubnetId}' is not in the endpoint's VPC.");
            if (address.Ip is { } ip)
            {
                CheckAddressInSubnet(ip, subnet, endpoint, $"IpAddresses[{i}].Ip", problems);
            }
        }
    }

    private static void CheckResolverRule(ResolverRule rule, HashSet<string> endpointIds, ProblemCollector problems)
    {
        problems.RequireValue(rule.DomainName, Name(rule), "DomainName");
        if (rule.RuleType != ResolverRuleType.Forward)
        {
            return;
        }

        problems.Require(rule.TargetIps.Length > 0, Name(rule), "TargetIps", "A FORWARD rule needs at least one target IP.");
        if (rule.ResolverEndpointId is null)
        {
            problems.Add(Name(rule), "ResolverEndpointId", "A FORWARD rule needs an outbound endpoint.");
        }
        else
        {
            RequireReference(problems, endpointIds.Contains(rule.ResolverEndpointId), rule, "ResolverEndpointId", rule.ResolverEndpointId);
        }

        for (var i = 0; i < rule.TargetIps.Length; i++)
        {
            var target = rule.TargetIps[i];
            problems.Require(IPAddress.TryParse(target.Ip, out _), Name(rule), $"TargetIps[{i}].Ip", $"'{target.Ip}' is not an IP address.");
            problems.Require(target.Port is > 0 and <= 65535, Name(rule), $"TargetIps[{i}].Port", $"{target.Port} is not a port.");
        }
    }

    /// <summary>AWS refuses a second association of one rule with a VPC, and a second rule for one domain in a VPC.</summary>
    private static void CheckRuleAssociations(CloudModel model, ProblemCollector problems)
    {
        var rules = Index(model.ResolverRules);
        var associated = new HashSet<string>(StringComparer.Ordinal);
        var domains = new Dictionary<string, ResolverRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var association in model.ResolverRuleAssociations)
        {
            if (!rules.TryGetValue(association.ResolverRuleId, out var rule))
            {
                continue;
            }

            if (!associated.Add($"{rule.Id} {association.VpcId}"))
            {
                problems.Add(Name(association), "ResolverRuleId", $"The rule '{rule.Id}' is already associated with the VPC '{association.VpcId}'.");
                continue;
            }

            var domain = rule.DomainName.TrimEnd('.');
            if (!domains.TryAdd($"{association.VpcId} {domain}", rule))
            {
                var first = domains[$"{association.VpcId} {domain}"];
                problems.Add(Name(association), "ResolverRuleId", $"The VPC '{association.VpcId}' already has the rule '{first.Id}' for the domain '{domain}.'; a VPC takes one rule per domain.");
            }
        }
    }

    private static void CheckAddressInSubnet(string ip, Subnet subnet, IResource owner, string property, ProblemCollector problems)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            problems.Add(Name(owner), property, $"'{ip}' is not an IPv4 address.");
            return;
        }

        if (!IPNetwork.TryParse(subnet.CidrBlock, out var network) || !network.Contains(address))
        {
            problems.Add(Name(owner), property, $"'{ip}' is not in subnet {Name(subnet)} ({subnet.CidrBlock}).");
            return;
        }

        // AWS reserves the first four addresses and the last one of every subnet.
        var offset = ToUInt32(address) - ToUInt32(network.BaseAddress);
        var size = 1u << (32 - network.PrefixLength);
        problems.Require(offset >= 4 && offset < size - 1, Name(owner), property, $"'{ip}' is reserved by AWS in subnet {Name(subnet)} ({subnet.CidrBlock}).");
    }

    // Duplicates are reported by CheckUniqueIds; the first of them is the one referenced.
    private static Dictionary<string, T> Index<T>(IEnumerable<T> resources)
        where T : IResource
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            index.TryAdd(resource.Id, resource);
        }

        return index;
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static void RequireReference(ProblemCollector problems, bool exists, IResource owner, string property, string id) =>
        problems.Require(exists, Name(owner), property, $"The resource '{id}' does not exist.");

    private static string Name(IResource resource) => string.IsNullOrEmpty(resource.LogicalId) ? resource.Id : resource.LogicalId;
}
