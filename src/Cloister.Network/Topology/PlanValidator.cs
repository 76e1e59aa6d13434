using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// What the fabric needs of a model beyond what the model validator checks: every reference it follows resolves,
/// every address is IPv4, inside its block and used once in its address space. Reports every problem at once.
/// </summary>
internal static class PlanValidator
{
    public static IReadOnlyList<string> Problems(CloudModel model)
    {
        var problems = new List<string>();
        var vpcs = model.Vpcs.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var subnets = model.Subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var vpc in model.Vpcs.Where(v => !Ipv4Cidr.TryParse(v.CidrBlock, out _)))
        {
            problems.Add($"VPC {vpc.LogicalId}: CidrBlock '{vpc.CidrBlock}' is not an IPv4 block.");
        }

        foreach (var subnet in model.Subnets)
        {
            if (!vpcs.Contains(subnet.VpcId))
            {
                problems.Add($"Subnet {subnet.LogicalId}: VpcId '{subnet.VpcId}' is no VPC of the model.");
            }
            else if (!Ipv4Cidr.TryParse(subnet.CidrBlock, out var block) ||
                     Ipv4Cidr.ParseOrNull(model.Vpcs.First(v => v.Id == subnet.VpcId).CidrBlock) is not { } vpcBlock || !vpcBlock.Contains(block))
            {
                problems.Add($"Subnet {subnet.LogicalId}: CidrBlock '{subnet.CidrBlock}' is not an IPv4 block inside its VPC's.");
            }
        }

        // EC2 refuses a peering between VPCs whose blocks overlap (the model validator does too); the shared router could
        // not tell the two VPCs' addresses apart.
        foreach (var peering in model.PeeringConnections)
        {
            var requester = model.Vpcs.FirstOrDefault(v => v.Id == peering.RequesterVpcId);
            var accepter = model.Vpcs.FirstOrDefault(v => v.Id == peering.AccepterVpcId);
            if (Ipv4Cidr.ParseOrNull(requester?.CidrBlock) is { } a && Ipv4Cidr.ParseOrNull(accepter?.CidrBlock) is { } b && (a.Contains(b) || b.Contains(a)))
            {
                problems.Add($"Peering connection {peering.LogicalId}: the CIDRs of VPC {requester!.LogicalId} ({a}) and VPC {accepter!.LogicalId} ({b}) overlap.");
            }
        }

        void Address(string owner, string subnetId, string? address)
        {
            if (!subnets.TryGetValue(subnetId, out var subnet))
            {
                problems.Add($"{owner}: SubnetId '{subnetId}' is no subnet of the model.");
            }
            else if (address is not null && (Ipv4Cidr.ParseOrNull(subnet.CidrBlock) is not { } block || !block.Contains(address)))
            {
                problems.Add($"{owner}: address '{address}' is not inside subnet {subnet.LogicalId} ({subnet.CidrBlock}).");
            }
        }

        foreach (var instance in model.Instances)
        {
            Address($"Instance {instance.LogicalId}", instance.SubnetId, instance.PrivateIpAddress);
        }

        foreach (var endpoint in model.VpcEndpoints)
        {
            foreach (var subnetId in endpoint.SubnetIds)
            {
                Address($"VPC endpoint {endpoint.LogicalId}", subnetId, null);
            }
        }

        foreach (var endpoint in model.ResolverEndpoints)
        {
            foreach (var ip in endpoint.IpAddresses)
            {
                Address($"Resolver endpoint {endpoint.LogicalId}", ip.SubnetId, ip.Ip);
            }
        }

        foreach (var balancer in model.LoadBalancers)
        {
            foreach (var subnetId in balancer.SubnetIds)
            {
                Address($"Load balancer {balancer.LogicalId}", subnetId, null);
            }
        }

        foreach (var function in model.Functions.Where(f => f.Vpc is not null))
        {
            foreach (var subnetId in function.Vpc!.SubnetIds)
            {
                Address($"Function {function.LogicalId}", subnetId, null);
            }
        }

        foreach (var network in model.OnPremisesNetworks)
        {
            if (!Ipv4Cidr.TryParse(network.CidrBlock, out var block))
            {
                problems.Add($"On-premises network {network.LogicalId}: CidrBlock '{network.CidrBlock}' is not an IPv4 block.");
                continue;
            }

            problems.AddRange(network.LinkedVpcIds.Where(id => !vpcs.Contains(id)).Select(id => $"On-premises network {network.LogicalId}: linked VPC '{id}' is no VPC of the model."));

            // Like a peering, a VPN path joining two VPCs whose blocks overlap is refused: the network could not tell
            // which VPC an address is in. Unlinked, such VPCs each run on their own.
            var linked = model.Vpcs.Where(v => network.LinkedVpcIds.Contains(v.Id) && Ipv4Cidr.TryParse(v.CidrBlock, out _)).ToList();
            problems.AddRange(linked
                .SelectMany((a, i) => linked.Skip(i + 1).Select(b => (A: a, B: b)))
                .Where(p => Ipv4Cidr.Parse(p.A.CidrBlock) is var a && Ipv4Cidr.Parse(p.B.CidrBlock) is var b && (a.Contains(b) || b.Contains(a)))
                .Select(p => $"On-premises network {network.LogicalId}: linked VPCs {p.A.LogicalId} ({p.A.CidrBlock}) and {p.B.LogicalId} ({p.B.CidrBlock}) overlap."));
            problems.AddRange(network.Hosts.Where(h => !block.Contains(h.IpAddress)).Select(h => $"On-premises host {h.LogicalId}: '{h.IpAddress}' is not inside {network.CidrBlock}."));
            if (network.DnsServerAddress is { } dns && !block.Contains(dns))
            {
                problems.Add($"On-premises network {network.LogicalId}: DNS server '{dns}' is not inside {network.CidrBlock}.");
            }
        }

        // A rule naming a prefix list that does not exist would match nothing (AWS refuses it), so the fabric does too.
        var prefixLists = RegionalServices.KnownPrefixListIds(model);
        foreach (var group in model.SecurityGroups)
        {
            foreach (var (rules, property) in new[] { (group.Ingress, "SecurityGroupIngress"), (group.Egress, "SecurityGroupEgress") })
            {
                problems.AddRange(rules.Select((rule, i) => (rule.PrefixListId, i))
                    .Where(r => r.PrefixListId is not null && !prefixLists.Contains(r.PrefixListId))
                    .Select(r => $"Security group {group.LogicalId}: {property}[{r.i}] names prefix list '{r.PrefixListId}', which does not exist."));
            }
        }

        // A route to a prefix list that does not exist would carry nothing (AWS refuses it), so the fabric refuses it too.
        foreach (var table in model.RouteTables)
        {
            problems.AddRange(table.Routes.Where(r => r.IsPrefixListDestination && !prefixLists.Contains(r.Destination))
                .Select(r => $"Route table {table.LogicalId}: a route names prefix list '{r.Destination}', which does not exist."));
        }

        problems.AddRange(RepeatedAddresses(model));
        return problems;
    }

    /// <summary>
    /// The explicit addresses given twice in one address space: one VPC, VPCs joined by peerings (whose blocks may not
    /// overlap, so only a transitive pair could repeat one) or by an on-premises network, with that network's hosts. EC2
    /// refuses an address in use in its subnet; the same address in two VPCs nothing joins is two ENIs, as on EC2, which
    /// the fabric tells apart by their routers (ENI sockets by namespace, the metadata service by the router a request
    /// came in on, reachability by the source's VPC).
    /// </summary>
    private static IEnumerable<string> RepeatedAddresses(CloudModel model)
    {
        var spaces = AddressSpaces(model);
        var subnetVpcs = model.Subnets.ToDictionary(s => s.Id, s => s.VpcId, StringComparer.Ordinal);
        string? SpaceOfSubnet(string subnetId) => subnetVpcs.TryGetValue(subnetId, out var vpc) && spaces.TryGetValue(vpc, out var space) ? space : null;
        var explicitAddresses = model.Instances.Select(i => (Owner: i.LogicalId, Space: SpaceOfSubnet(i.SubnetId), Address: i.PrivateIpAddress))
            .Concat(model.ResolverEndpoints.SelectMany(e => e.IpAddresses.Select(a => (Owner: e.LogicalId, Space: SpaceOfSubnet(a.SubnetId), Address: a.Ip))))
            .Concat(model.VpcEndpoints.SelectMany(e => e.NetworkInterfaces.Select(n => (Owner: e.LogicalId, Space: SpaceOfSubnet(n.SubnetId), Address: (string?)n.PrivateIpAddress))))
            .Concat(model.OnPremisesNetworks.SelectMany(n => n.Hosts.Select(h => (Owner: h.LogicalId, Space: spaces.GetValueOrDefault(n.Id), Address: (string?)h.IpAddress))))
            .Where(x => x.Address is { Length: > 0 });
        return explicitAddresses.GroupBy(x => (x.Space, x.Address)).Where(g => g.Count() > 1)
            .Select(g => $"Address {g.Key.Address} is given to more than one resource: {string.Join(", ", g.Select(x => x.Owner))}.");
    }

    /// <summary>
    /// Each VPC's and on-premises network's address space, named by one of its members: VPCs joined by a peering
    /// (accepted or not) or an on-premises network, and that network, share one.
    /// </summary>
    private static Dictionary<string, string> AddressSpaces(CloudModel model)
    {
        var parent = model.Vpcs.Select(v => v.Id).Concat(model.OnPremisesNetworks.Select(n => n.Id))
            .Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => id, StringComparer.Ordinal);
        string Find(string id) => parent[id] == id ? id : parent[id] = Find(parent[id]);
        void Join(string a, string b)
        {
            if (parent.ContainsKey(a) && parent.ContainsKey(b))
            {
                parent[Find(a)] = Find(b);
            }
        }

        foreach (var peering in model.PeeringConnections)
        {
            Join(peering.RequesterVpcId, peering.AccepterVpcId);
        }

        foreach (var network in model.OnPremisesNetworks)
        {
            foreach (var vpcId in network.LinkedVpcIds)
            {
                Join(network.Id, vpcId);
            }
        }

        return parent.Keys.ToList().ToDictionary(id => id, Find, StringComparer.Ordinal);
    }
}
