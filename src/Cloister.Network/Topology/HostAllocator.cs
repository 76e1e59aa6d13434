using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// Gives every ENI of the model a host: explicit addresses first (so an assigned address never takes one the
/// template asked for), then the rest in order from the subnet's fifth address, as AWS reserves the first four.
/// </summary>
internal sealed class HostAllocator
{
    private readonly CloudModel _model;
    private readonly string _prefix;
    private readonly Dictionary<string, string> _vpcRouters;
    private readonly Dictionary<string, string> _onPremRouters;
    private readonly HashSet<uint> _taken = [];
    private readonly List<HostPlan> _hosts = [];
    private readonly TopologyView _defaults;

    public HostAllocator(CloudModel model, string prefix, Dictionary<string, string> vpcRouters, Dictionary<string, string> onPremRouters)
    {
        _model = model;
        _prefix = prefix;
        _vpcRouters = vpcRouters;
        _onPremRouters = onPremRouters;
        _defaults = new TopologyView(model, []);
    }

    public ImmutableArray<HostPlan> Allocate()
    {
        foreach (var instance in _model.Instances.Where(i => i.PrivateIpAddress is not null))
        {
            _taken.Add(Ipv4Cidr.ParseAddress(instance.PrivateIpAddress!));
        }

        foreach (var address in _model.ResolverEndpoints.SelectMany(e => e.IpAddresses).Where(a => a.Ip is not null))
        {
            _taken.Add(Ipv4Cidr.ParseAddress(address.Ip!));
        }

        foreach (var eni in _model.VpcEndpoints.SelectMany(e => e.NetworkInterfaces))
        {
            _taken.Add(Ipv4Cidr.ParseAddress(eni.PrivateIpAddress));
        }

        foreach (var instance in _model.Instances)
        {
            var subnet = _model.Subnets.First(s => s.Id == instance.SubnetId);
            AddVpcHost(HostKind.Instance, instance.Id, instance.LogicalId, instance.Name, null, subnet, instance.PrivateIpAddress, instance.SecurityGroupIds);
        }

        foreach (var endpoint in _model.VpcEndpoints.Where(e => e.Type == VpcEndpointType.Interface))
        {
            if (!endpoint.NetworkInterfaces.IsDefaultOrEmpty)
            {
                foreach (var eni in endpoint.NetworkInterfaces)
                {
                    var groups = eni.SecurityGroupIds.IsDefaultOrEmpty ? endpoint.SecurityGroupIds : eni.SecurityGroupIds;
                    AddVpcHost(HostKind.EndpointInterface, eni.Id, endpoint.LogicalId, null, endpoint.Id, Subnet(eni.SubnetId), eni.PrivateIpAddress, groups);
                }

                continue;
            }

            foreach (var subnetId in endpoint.SubnetIds)
            {
                AddVpcHost(HostKind.EndpointInterface, EniId(endpoint.Id, subnetId), endpoint.LogicalId, null, endpoint.Id, Subnet(subnetId), null, endpoint.SecurityGroupIds);
            }
        }

        foreach (var endpoint in _model.ResolverEndpoints)
        {
            foreach (var address in endpoint.IpAddresses)
            {
                var id = string.IsNullOrEmpty(address.NetworkInterfaceId) ? EniId(endpoint.Id, address.SubnetId) : address.NetworkInterfaceId;
                AddVpcHost(HostKind.ResolverEndpoint, id, endpoint.LogicalId, endpoint.Name, endpoint.Id, Subnet(address.SubnetId), address.Ip, endpoint.SecurityGroupIds);
            }
        }

        // A load balancer has one node (an ENI the ELB service owns) in each of its subnets. A network load balancer
        // created without security groups filters nothing; an application load balancer without any gets the default group.
        foreach (var balancer in _model.LoadBalancers)
        {
            var groups = balancer.SecurityGroupIds.IsDefaultOrEmpty && balancer.Type == LoadBalancerType.Network
                ? [TopologyView.UnfilteredGroupId]
                : balancer.SecurityGroupIds;
            foreach (var subnetId in balancer.SubnetIds)
            {
                AddVpcHost(HostKind.LoadBalancerNode, EniId(balancer.Id, subnetId), balancer.LogicalId, balancer.Name, balancer.Id, Subnet(subnetId), null, groups);
            }
        }

        // Lambda places one ENI per subnet and security group set, shared by the functions that use them.
        var functionEnis = _model.Functions
            .Where(f => f.Vpc is not null)
            .SelectMany(f => f.Vpc!.SubnetIds.Select(s => (Subnet: s, Groups: string.Join(',', f.Vpc.SecurityGroupIds.Order(StringComparer.Ordinal)), f.FunctionName)))
            .GroupBy(x => (x.Subnet, x.Groups));
        foreach (var group in functionEnis)
        {
            var groups = group.Key.Groups.Length == 0 ? [] : group.Key.Groups.Split(',').ToImmutableArray();
            var owners = string.Join(',', group.Select(x => x.FunctionName).Distinct(StringComparer.Ordinal));
            AddVpcHost(HostKind.FunctionInterface, EniId("lambda-" + group.Key.Groups, group.Key.Subnet), "lambda", null, owners, Subnet(group.Key.Subnet), null, groups);
        }

        foreach (var network in _model.OnPremisesNetworks)
        {
            AddOnPremises(network);
        }

        return [.. _hosts];
    }

    private Subnet Subnet(string id) => _model.Subnets.First(s => s.Id == id);

    private static string EniId(string owner, string subnetId) => "eni-" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(owner + "/" + subnetId)))[..17];

    private void AddVpcHost(HostKind kind, string id, string logicalId, string? name, string? owner, Subnet subnet, string? address, ImmutableArray<string> groups)
    {
        var block = Ipv4Cidr.Parse(subnet.CidrBlock);
        var chosen = address is not null ? Ipv4Cidr.ParseAddress(address) : Next(block);
        var vpc = _model.Vpcs.First(v => v.Id == subnet.VpcId);
        var index = _hosts.Count;
        _hosts.Add(new HostPlan(
            kind, id, logicalId, name, owner,
            Namespace: _prefix + "e" + index.ToString(CultureInfo.InvariantCulture),
            RouterNamespace: _vpcRouters[vpc.Id],
            RouterInterface: "e" + index.ToString(CultureInfo.InvariantCulture),
            Ipv4Cidr.FormatAddress(chosen), block.PrefixLength, block.AddressAt(1),
            vpc.Id, subnet.Id, null,
            _defaults.GroupsOrDefault(vpc.Id, groups),
            HostName(kind, id, chosen),
            TopologyView.ResolverAddress(vpc)));
    }

    /// <summary>
    /// The host's own name as EC2 gives it: an instance launched with resource names is called by its id, everything else
    /// in a VPC by its address.
    /// </summary>
    private string HostName(HostKind kind, string id, uint address)
    {
        var region = _model.Account.Region;
        var instance = kind == HostKind.Instance ? _model.Instances.First(i => i.Id == id) : null;
        return instance?.PrivateDnsNameOptions.HostnameType == HostnameType.ResourceName
            ? Ec2HostNames.ResourceName(id, region)
            : Ec2HostNames.IpName(Ipv4Cidr.FormatAddress(address), region);
    }

    private void AddOnPremises(OnPremisesNetwork network)
    {
        var block = Ipv4Cidr.Parse(network.CidrBlock);
        var router = _onPremRouters[network.Id];
        var gateway = Hostnames.OnPremisesGateway(network);
        var dns = network.DnsServerAddress ?? gateway;
        foreach (var host in network.Hosts)
        {
            Add(HostKind.OnPremisesHost, host.Id, host.LogicalId, host.IpAddress, host.LogicalId.ToLowerInvariant() + ".corp.internal");
        }

        if (network.DnsServerAddress is not null && !network.Hosts.Any(h => h.IpAddress == network.DnsServerAddress))
        {
            Add(HostKind.OnPremisesDnsServer, network.Id + "-dns", network.LogicalId + "Dns", network.DnsServerAddress, "dns.corp.internal");
        }

        void Add(HostKind kind, string id, string logicalId, string address, string hostname)
        {
            var index = _hosts.Count;
            _hosts.Add(new HostPlan(
                kind, id, logicalId, logicalId, network.Id,
                _prefix + "e" + index.ToString(CultureInfo.InvariantCulture), router, "e" + index.ToString(CultureInfo.InvariantCulture),
                address, block.PrefixLength, gateway, null, null, network.Id, [], hostname, dns));
        }
    }

    private uint Next(Ipv4Cidr block)
    {
        for (var offset = 4u; offset < block.Size - 1; offset++)
        {
            var candidate = block.At(offset);
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Subnet {block} has no free address left.");
    }
}
