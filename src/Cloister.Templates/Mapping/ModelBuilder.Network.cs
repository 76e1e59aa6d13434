using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using Cloister.Model.Identifiers;
using Cloister.Model.Network;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>EC2: VPCs, subnets, routes, security groups, prefix lists, endpoints, peering, instances, ACLs.</summary>
internal sealed partial class ModelBuilder
{
    private readonly Dictionary<string, string> _defaultGroups = new(StringComparer.Ordinal);

    /// <summary>Each VPC's default network ACL id (<c>DefaultNetworkAcl</c>), by VPC id.</summary>
    private readonly Dictionary<string, string> _defaultAcls = new(StringComparer.Ordinal);

    private void BuildNetwork()
    {
        foreach (var r in OfType("AWS::EC2::VPC"))
        {
            var cidr = r.Required("CidrBlock");
            CheckVpcCidr(r, cidr);
            _vpcs.Add(new Vpc(r.Id, r.LogicalId, cidr, r.Bool("EnableDnsSupport", true), r.Bool("EnableDnsHostnames", false), r.Tag("Name")));

            // Every VPC has a main route table and a default security group, as AWS creates them.
            _routeTables.Add(new RouteTable(ids.Next(IdKind.RouteTable), r.LogicalId + ".MainRouteTable", r.Id, [], [], IsMain: true));
            var defaultGroup = r.Resource.Attribute("DefaultSecurityGroup");
            _defaultGroups[r.Id] = defaultGroup;
            _defaultAcls[r.Id] = r.Resource.Attribute("DefaultNetworkAcl");
            _groups.Add(new SecurityGroup(
                defaultGroup,
                r.LogicalId + ".DefaultSecurityGroup",
                r.Id,
                "default",
                "default VPC security group",
                [new SecurityGroupRule("-1", -1, -1, ReferencedGroupId: defaultGroup)],
                [SecurityGroupRule.AllowAllEgress]));
        }

        var subnets = new List<(PropertyReader, Subnet)>();
        foreach (var r in OfType("AWS::EC2::Subnet"))
        {
            var zones = AvailabilityZones.Of(account.Region);
            if (r.String("AvailabilityZone") is { } zone && !zones.Contains(zone, StringComparer.Ordinal))
            {
                // EC2's CreateSubnet refusal, as CloudFormation reports it.
                r.Problem("AvailabilityZone", $"Value ({zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", zones)}.");
            }

            var subnet = new Subnet(r.Id, r.LogicalId, r.Required("VpcId"), r.Required("CidrBlock"), r.Resource.Attribute("AvailabilityZone"), r.Tag("Name"))
            {
                PrivateDnsNameOptionsOnLaunch = HostNameOptions(r, "PrivateDnsNameOptionsOnLaunch", PrivateDnsNameOptions.Default),
            };
            _subnets.Add(subnet);
            subnets.Add((r, subnet));
        }

        CheckSubnetCidrs(subnets);

        BuildRouteTables();
        CheckNatGateways();
        BuildSecurityGroups();
        foreach (var r in OfType("AWS::EC2::PrefixList"))
        {
            var entries = r.Maps("Entries").Select((e, i) => new PrefixListEntry(r.String(e, "Cidr", $"Entries[{i}].Cidr", required: true) ?? string.Empty, e.GetString("Description")));
            _prefixLists.Add(new PrefixList(r.Id, r.LogicalId, r.Required("PrefixListName"), r.Required("AddressFamily"), r.Int("MaxEntries", 0), [.. entries]));
        }

        foreach (var r in OfType("AWS::EC2::VPCEndpoint"))
        {
            BuildVpcEndpoint(r);
        }

        CheckEndpointPrivateDns();

        foreach (var r in OfType("AWS::EC2::VPCPeeringConnection"))
        {
            if (r.String("PeerRegion") is { } region && region != account.Region)
            {
                r.Problem("PeerRegion", $"Cloister runs one region ({account.Region}); a peer in '{region}' cannot be created.");
            }

            _peerings.Add(new PeeringConnection(r.Id, r.LogicalId, r.Required("VpcId"), r.Required("PeerVpcId")));
        }

        foreach (var r in OfType("AWS::EC2::Instance"))
        {
            BuildInstance(r);
        }

        BuildAcls();
    }

    private void BuildRouteTables()
    {
        var routes = OfType("AWS::EC2::Route").ToList();
        var associations = OfType("AWS::EC2::SubnetRouteTableAssociation").ToList();
        var tableIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in OfType("AWS::EC2::RouteTable"))
        {
            tableIds.Add(r.Id);
            var tableRoutes = routes.Where(route => route.String("RouteTableId") == r.Id).Select(ToRoute).OfType<Route>();
            var subnets = associations.Where(a => a.String("RouteTableId") == r.Id).Select(a => a.Required("SubnetId"));
            _routeTables.Add(new RouteTable(r.Id, r.LogicalId, r.Required("VpcId"), [.. tableRoutes], [.. subnets]));
        }

        foreach (var route in routes.Where(route => !tableIds.Contains(route.Required("RouteTableId"))))
        {
            route.Problem("RouteTableId", $"'{route.String("RouteTableId")}' is not a route table of these templates.");
        }

        // AWS refuses a route to a prefix list that does not exist (InvalidPrefixListID.NotFound); ignoring it would drop traffic silently.
        var prefixLists = OfType("AWS::EC2::PrefixList").Select(p => p.Id)
            .Concat(RegionalServices.ManagedPrefixLists(account.Region).Select(p => p.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var route in routes.Where(route => route.String("DestinationPrefixListId") is { } id && !prefixLists.Contains(id)))
        {
            route.Problem("DestinationPrefixListId", $"The prefix list ID '{route.String("DestinationPrefixListId")}' does not exist.");
        }

        // A route at or inside the VPC's own block must go to a network interface (an appliance, a local-route override)
        // or an endpoint; EC2 refuses any other target.
        var blocks = _routeTables.Where(t => tableIds.Contains(t.Id))
            .Select(t => (t.Id, Block: _vpcs.FirstOrDefault(v => v.Id == t.VpcId)?.CidrBlock))
            .Where(t => t.Block is not null && IPNetwork.TryParse(t.Block, out _))
            .ToDictionary(t => t.Id, t => IPNetwork.Parse(t.Block!), StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (blocks.TryGetValue(route.String("RouteTableId") ?? string.Empty, out var vpcBlock) &&
                IPNetwork.TryParse(route.String("DestinationCidrBlock") ?? string.Empty, out var destination) &&
                vpcBlock.Contains(destination.BaseAddress) && destination.PrefixLength >= vpcBlock.PrefixLength &&
                OtherTargets.FirstOrDefault(p => route.String(p) is not null) is { } target)
            {
                route.Problem(target, "Route target is not supported. This route only supports interface and instance targets.");
            }
        }

        // A table holds one route per destination: EC2 refuses another (RouteAlreadyExists), which would otherwise leave
        // the kernel and `cloister path` to choose between the two.
        foreach (var table in routes.GroupBy(route => route.String("RouteTableId") ?? string.Empty))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var route in table)
            {
                var property = route.String("DestinationCidrBlock") is not null ? "DestinationCidrBlock"
                    : route.String("DestinationIpv6CidrBlock") is not null ? "DestinationIpv6CidrBlock" : "DestinationPrefixListId";
                if (route.String(property) is { } destination && !seen.Add(destination))
                {
                    route.Problem(property, $"The route identified by {destination} already exists.");
                }
            }
        }

        foreach (var association in associations.Where(a => !tableIds.Contains(a.Required("RouteTableId"))))
        {
            association.Problem("RouteTableId", $"'{association.String("RouteTableId")}' is not a route table of these templates.");
        }
    }

    /// <summary>
    /// What EC2 refuses of a NAT gateway and of a route to one. The gateway itself is not run: a route to it reaches the
    /// region's services, as an internet gateway's does (docs/network.md), so only its subnet's VPC matters here.
    /// </summary>
    private void CheckNatGateways()
    {
        var vpcOfNat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in OfType("AWS::EC2::NatGateway"))
        {
            var subnetId = r.Required("SubnetId");
            if (_subnets.FirstOrDefault(s => s.Id == subnetId) is { } subnet)
            {
                vpcOfNat[r.Id] = subnet.VpcId;
            }
            else if (subnetId.Length > 0)
            {
                r.Problem("SubnetId", $"The subnet ID '{subnetId}' does not exist.");
            }

            var connectivity = r.String("ConnectivityType") ?? "public";
            var allocation = r.String("AllocationId");
            if (connectivity is not ("public" or "private"))
            {
                r.Problem("ConnectivityType", $"'{connectivity}' is not a connectivity type: public or private.");
            }
            else if (connectivity == "public" && allocation is null)
            {
                r.Problem("AllocationId", "A public NAT gateway needs an AllocationId (the Elastic IP it sends from).");
            }
            else if (connectivity == "private" && allocation is not null)
            {
                r.Problem("AllocationId", "You cannot specify an Elastic IP address with a private NAT gateway.");
            }
        }

        var vpcOfTable = _routeTables.ToDictionary(t => t.Id, t => t.VpcId, StringComparer.Ordinal);
        foreach (var route in OfType("AWS::EC2::Route"))
        {
            if (route.String("NatGatewayId") is { } nat && vpcOfNat.TryGetValue(nat, out var natVpc) &&
                route.String("RouteTableId") is { } table && vpcOfTable.TryGetValue(table, out var tableVpc) && natVpc != tableVpc)
            {
                route.Problem("NatGatewayId", $"route table {table} and network gateway {nat} belong to different networks");
            }
        }
    }

    /// <summary>The route targets other than a network interface, an instance or an endpoint.</summary>
    private static readonly string[] OtherTargets = ["VpcPeeringConnectionId", "NatGatewayId", "TransitGatewayId", "GatewayId", "CarrierGatewayId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CoreNetworkArn"];

    private static Route? ToRoute(PropertyReader r)
    {
        var destination = r.String("DestinationCidrBlock") ?? r.String("DestinationIpv6CidrBlock") ?? r.String("DestinationPrefixListId");
        if (destination is null)
        {
            r.Problem("DestinationCidrBlock", "A route needs DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId.");
            return null;
        }

        (string Property, RouteTargetKind Kind)[] targets =
        [
            ("VpcPeeringConnectionId", RouteTargetKind.PeeringConnection), ("NatGatewayId", RouteTargetKind.NatGateway),
            ("TransitGatewayId", RouteTargetKind.TransitGateway), ("NetworkInterfaceId", RouteTargetKind.NetworkInterface),
            ("InstanceId", RouteTargetKind.NetworkInterface), ("VpcEndpointId", RouteTargetKind.GatewayEndpoint),
        ];
        foreach (var (property, kind) in targets)
        {
            if (r.String(property) is { } id)
            {
                return new Route(destination, kind, id);
            }
        }

        if (r.String("GatewayId") is { } gateway)
        {
            var kind = gateway.StartsWith("vgw-", StringComparison.Ordinal) ? RouteTargetKind.VpnGateway
                : gateway.StartsWith("vpce-", StringComparison.Ordinal) ? RouteTargetKind.GatewayEndpoint
                : RouteTargetKind.InternetGateway;
            return new Route(destination, kind, gateway);
        }

        r.Problem("GatewayId", "A route needs a target: GatewayId, VpcPeeringConnectionId, NatGatewayId, TransitGatewayId, NetworkInterfaceId, InstanceId or VpcEndpointId.");
        return null;
    }

    private void BuildSecurityGroups()
    {
        var ingress = OfType("AWS::EC2::SecurityGroupIngress").ToList();
        var egress = OfType("AWS::EC2::SecurityGroupEgress").ToList();
        var known = new HashSet<string>(_defaultGroups.Values, StringComparer.Ordinal);
        foreach (var r in OfType("AWS::EC2::SecurityGroup"))
        {
            known.Add(r.Id);
            var inRules = r.Maps("SecurityGroupIngress").Select((m, i) => ToRule(r, m, $"SecurityGroupIngress[{i}]", egress: false))
                .Concat(ingress.Where(i => GroupOf(i) == r.Id).Select(i => ToRule(i, i.Resource.Properties, string.Empty, egress: false)));
            var explicitEgress = r.Node("SecurityGroupEgress") is not null || egress.Any(e => GroupOf(e) == r.Id);
            var outRules = explicitEgress
                ? r.Maps("SecurityGroupEgress").Select((m, i) => ToRule(r, m, $"SecurityGroupEgress[{i}]", egress: true))
                    .Concat(egress.Where(e => GroupOf(e) == r.Id).Select(e => ToRule(e, e.Resource.Properties, string.Empty, egress: true)))
                : [SecurityGroupRule.AllowAllEgress];
            var name = r.String("GroupName") ?? $"{r.Resource.StackName}-{r.LogicalId}-{r.Id[3..15].ToUpperInvariant()}";
            _groups.Add(new SecurityGroup(r.Id, r.LogicalId, r.String("VpcId") ?? string.Empty, name, r.Required("GroupDescription"), [.. inRules], [.. outRules]));
        }

        foreach (var rule in ingress.Concat(egress).Where(rule => !known.Contains(GroupOf(rule))))
        {
            rule.Problem("GroupId", $"'{GroupOf(rule)}' is not a security group of these templates.");
        }
    }

    private static string GroupOf(PropertyReader rule) => rule.String("GroupId") ?? rule.String("GroupName") ?? string.Empty;

    private static SecurityGroupRule ToRule(PropertyReader r, MapNode m, string path, bool egress)
    {
        string P(string key) => path.Length == 0 ? key : $"{path}.{key}";
        var protocol = (r.String(m, "IpProtocol", P("IpProtocol"), required: true) ?? "-1").ToLowerInvariant() switch
        {
            "6" => "tcp",
            "17" => "udp",
            "1" => "icmp",
            "58" => "icmpv6",
            var p => p,
        };
        var all = protocol == "-1";
        // EC2 needs an ICMP rule's type and code (FromPort, ToPort; -1 for all) and refuses one without both; an
        // ICMPv6 rule without them admits every type and code.
        var icmp = protocol is "icmp" or "icmpv6";
        var from = r.Int(m, "FromPort", P("FromPort"), all || icmp ? -1 : 0);
        var to = r.Int(m, "ToPort", P("ToPort"), all || icmp ? -1 : from);
        CheckPortRange(r, m, P, protocol, from, to);
        var cidr = r.String(m, "CidrIp", P("CidrIp")) ?? r.String(m, "CidrIpv6", P("CidrIpv6"));
        if (cidr is not null && !CidrText.IsWellFormed(cidr, out _))
        {
            // EC2's InvalidParameterValue; IPNetwork alone would read 10.0.0/16 as 10.0.0.0/16.
            r.Problem(P(m.Get("CidrIp") is not null ? "CidrIp" : "CidrIpv6"), $"CIDR block {cidr} is malformed.");
        }

        var prefixList = r.String(m, egress ? "DestinationPrefixListId" : "SourcePrefixListId", P(egress ? "DestinationPrefixListId" : "SourcePrefixListId"));
        var group = r.String(m, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId", P(egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId"));
        return new SecurityGroupRule(protocol, from, to, cidr, prefixList, group, m.GetString("Description"));
    }

    /// <summary>
    /// What EC2 refuses of a rule's ports, at the property of the resource that wrote the rule (a standalone
    /// <c>AWS::EC2::SecurityGroupIngress/Egress</c>, not its group), worded as EC2's errors: tcp, udp and icmp need
    /// both FromPort and ToPort (filling them in would admit port 0, or ICMP echo replies, only), and a tcp or udp
    /// range runs from 0 to 65535 upwards. -1 and other protocol numbers admit every port whatever the range says.
    /// </summary>
    private static void CheckPortRange(PropertyReader r, MapNode m, Func<string, string> path, string protocol, int from, int to)
    {
        var tcpOrUdp = protocol is "tcp" or "udp";
        if (!tcpOrUdp && protocol != "icmp")
        {
            return;
        }

        bool Missing(string key) => m.Get(key) is null or ScalarNode { IsNull: true };
        if (Missing("FromPort") || Missing("ToPort"))
        {
            r.Problem(path(Missing("FromPort") ? "FromPort" : "ToPort"), $"Invalid value for portRange. Must specify both from and to ports with {(tcpOrUdp ? "TCP/UDP" : "ICMP")}.");
            return;
        }

        if (!tcpOrUdp)
        {
            return;
        }

        var outOfRange = false;
        foreach (var (key, end, port) in (ReadOnlySpan<(string, string, int)>)[("FromPort", "from", from), ("ToPort", "to", to)])
        {
            if (port is < 0 or > 65535)
            {
                r.Problem(path(key), $"TCP/UDP ({end}) port ({port.ToString(CultureInfo.InvariantCulture)}) out of range");
                outOfRange = true;
            }
        }

        if (!outOfRange && from > to)
        {
            r.Problem(path("FromPort"), $"Invalid TCP/UDP port range: FromPort {from.ToString(CultureInfo.InvariantCulture)} is greater than ToPort {to.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private void BuildVpcEndpoint(PropertyReader r)
    {
        var typeText = r.String("VpcEndpointType") ?? "Gateway";
        if (!Enum.TryParse<VpcEndpointType>(typeText, ignoreCase: false, out var type))
        {
            r.Problem("VpcEndpointType", $"'{typeText}' is not Interface or Gateway (Cloister does not run GatewayLoadBalancer, Resource or ServiceNetwork endpoints).");
        }

        var vpcId = r.Required("VpcId");
        var groups = r.Strings("SecurityGroupIds");
        if (type == VpcEndpointType.Interface && groups.IsEmpty && _defaultGroups.TryGetValue(vpcId, out var defaultGroup))
        {
            groups = [defaultGroup];
        }

        var endpointId = r.Id;
        var interfaces = NodeFactory.Items(r.Resource.Attributes.GetValueOrDefault("NetworkInterfaceIds")).OfType<ScalarNode>().Select(eni =>
            new NetworkInterface(
                eni.Value,
                r.Resource.Attribute(HiddenAttributes.EniSubnet(eni.Value)),
                r.Resource.Attribute(HiddenAttributes.EniAddress(eni.Value)),
                groups,
                $"VPC Endpoint Interface {endpointId}"));
        foreach (var eni in interfaces.Where(e => e.PrivateIpAddress.Length == 0 && !_subnetsWithoutBlock.Contains(e.SubnetId)))
        {
            r.Problem("SubnetIds", $"No free address for the endpoint's interface in subnet '{eni.SubnetId}'.");
        }

        var service = r.Required("ServiceName");
        var expectedPrefix = $"com.amazonaws.{account.Region}.";
        if (service.Length > 0 && !service.StartsWith(expectedPrefix, StringComparison.Ordinal))
        {
            r.Problem("ServiceName", $"'{service}' is not a service of region {account.Region} (expected '{expectedPrefix}...').");
        }
        else if (service.Length > 0 && RegionalServices.NumberOf(service) is null)
        {
            // A warning, not EC2's InvalidServiceName: AWS has services Cloister does not know. A typo (executeapi) was silent.
            r.WarningAt(r.Node("ServiceName")!, "ServiceName", $"'{service[expectedPrefix.Length..]}' is not a service Cloister knows (it knows {string.Join(", ", RegionalServices.Names.Order(StringComparer.Ordinal))}); on AWS a service name that does not exist is InvalidServiceName.");
        }

        var privateDns = r.Bool("PrivateDnsEnabled", false);
        if (privateDns && _vpcs.FirstOrDefault(v => v.Id == vpcId) is { } vpc && !(vpc.EnableDnsSupport && vpc.EnableDnsHostnames))
        {
            r.Problem("PrivateDnsEnabled", $"Private DNS needs the VPC {vpc.LogicalId} to have EnableDnsSupport and EnableDnsHostnames true.");
        }

        var policyDocument = r.Json("PolicyDocument");
        CheckPolicySize(r, "PolicyDocument", policyDocument, Cloister.Policy.PolicyParseOptions.ForVpcEndpoint);
        _endpoints.Add(new VpcEndpoint(
            endpointId,
            r.LogicalId,
            vpcId,
            service,
            type,
            r.Strings("SubnetIds"),
            type == VpcEndpointType.Interface ? groups : [],
            r.Strings("RouteTableIds"),
            privateDns,
            policyDocument,
            [.. interfaces])
        { DnsOptions = EndpointDnsOptions(r, type, privateDns, service) });
    }

    private void BuildInstance(PropertyReader r)
    {
        var subnetId = r.String("SubnetId") ?? r.Maps("NetworkInterfaces").FirstOrDefault()?.GetString("SubnetId");
        if (subnetId is null)
        {
            r.Problem("SubnetId", "An instance needs a SubnetId (or NetworkInterfaces with one): the sandbox has no default VPC.");
            return;
        }

        var groups = r.Strings("SecurityGroupIds");
        if (groups.IsEmpty && r.Maps("NetworkInterfaces").FirstOrDefault() is { } nic)
        {
            groups = r.Strings(nic, "GroupSet", "NetworkInterfaces[0].GroupSet");
        }

        var vpcId = r.Resource.Attribute("VpcId");
        if (groups.IsEmpty && _defaultGroups.TryGetValue(vpcId, out var defaultGroup))
        {
            groups = [defaultGroup];
        }

        var onLaunch = _subnets.Find(s => s.Id == subnetId)?.PrivateDnsNameOptionsOnLaunch ?? PrivateDnsNameOptions.Default;
        var metadataOptions = MetadataOptions(r);
        _instances.Add(new Instance(r.Id, r.LogicalId, subnetId, r.Resource.Attribute("PrivateIp"), groups, r.Tag("Name"), DecodeUserData(r.String("UserData")), InstanceProfileRole(r),
            r.String("ImageId"), r.String("InstanceType") ?? "m1.small")
        {
            InstanceProfileArn = InstanceProfileArn(r),
            PrivateDnsNameOptions = HostNameOptions(r, "PrivateDnsNameOptions", onLaunch),
            MetadataOptions = metadataOptions,
            Tags = InstanceTags(r, metadataOptions),
        });
    }

    /// <summary>
    /// The role of the instance's <c>IamInstanceProfile</c>: the first of the profile's <c>Roles</c> when the profile is
    /// in these templates, else the profile's own name (profiles made outside the templates usually carry their role's
    /// name); null without a profile, and the instance metadata service then has no credentials, as on EC2.
    /// </summary>
    private string? InstanceProfileRole(PropertyReader r)
    {
        if (r.String("IamInstanceProfile") is not { Length: > 0 } profile)
        {
            return null;
        }

        var declared = DeclaredProfile(profile);
        return declared is null ? profile.Split('/')[^1] : declared.Strings("Roles").FirstOrDefault() ?? profile;
    }

    /// <summary>
    /// The ARN of the instance's <c>IamInstanceProfile</c>: the declared profile's (its own name and path), or the ARN given;
    /// null for a profile named outside the templates (the metadata service then names it as its role).
    /// </summary>
    private string? InstanceProfileArn(PropertyReader r)
    {
        if (r.String("IamInstanceProfile") is not { Length: > 0 } profile)
        {
            return null;
        }

        return DeclaredProfile(profile)?.Resource.Attribute("Arn") ?? (profile.StartsWith("arn:", StringComparison.Ordinal) ? profile : null);
    }

    /// <summary>The templates' <c>AWS::IAM::InstanceProfile</c> an instance's <c>IamInstanceProfile</c> names (by name or ARN); null when none is.</summary>
    private PropertyReader? DeclaredProfile(string profile) =>
        OfType("AWS::IAM::InstanceProfile").FirstOrDefault(p => p.Id == profile || p.Resource.Attribute("Arn") == profile);

    private static string? DecodeUserData(string? userData)
    {
        if (userData is null)
        {
            return null;
        }

        var buffer = new byte[userData.Length];
        return Convert.TryFromBase64String(userData, buffer, out var written) ? Encoding.UTF8.GetString(buffer, 0, written) : userData;
    }

    /// <summary>
    /// The entries of a VPC's default network ACL as EC2 creates it: rule 100 allows all IPv4 traffic in and out. (The
    /// IPv6 rule 101 comes with an IPv6 block, which the sandbox's VPCs never have.)
    /// </summary>
    private static readonly ImmutableArray<NetworkAclEntry> DefaultAclEntries =
        [new(100, "-1", Allow: true, Egress: false, "0.0.0.0/0"), new(100, "-1", Allow: true, Egress: true, "0.0.0.0/0")];

    private void BuildAcls()
    {
        var entries = OfType("AWS::EC2::NetworkAclEntry").ToList();
        var associations = OfType("AWS::EC2::SubnetNetworkAclAssociation").ToList();
        ImmutableArray<string> SubnetsOf(string aclId) =>
            [.. associations.Where(a => a.String("NetworkAclId") == aclId).Select(a => a.Required("SubnetId"))];

        foreach (var r in OfType("AWS::EC2::NetworkAcl"))
        {
            _acls.Add(new NetworkAcl(r.Id, r.LogicalId, r.Required("VpcId"), AclEntries(entries, r.Id, []), SubnetsOf(r.Id)));
        }

        // Entries added to a VPC's default ACL (!GetAtt Vpc.DefaultNetworkAcl) take effect on every subnet of the VPC
        // that no custom ACL takes; without any, the default ACL allows all and needs no record (nor fabric rules).
        foreach (var vpc in _vpcs)
        {
            var aclId = _defaultAcls[vpc.Id];
            if (entries.Any(e => e.String("NetworkAclId") == aclId))
            {
                _acls.Add(new NetworkAcl(aclId, vpc.LogicalId + ".DefaultNetworkAcl", vpc.Id, AclEntries(entries, aclId, DefaultAclEntries), SubnetsOf(aclId), IsDefault: true));
            }
        }

        // An ACL of neither kind does not exist in the sandbox: EC2 refuses the entry or association
        // (InvalidNetworkAclID.NotFound) where Cloister used to drop it without a word.
        var known = new HashSet<string>(_defaultAcls.Values, StringComparer.Ordinal);
        known.UnionWith(OfType("AWS::EC2::NetworkAcl").Select(r => r.Id));
        foreach (var r in entries.Concat(associations))
        {
            if (r.Required("NetworkAclId") is { Length: > 0 } aclId && !known.Contains(aclId))
            {
                r.Problem("NetworkAclId", $"The networkAcl ID '{aclId}' does not exist");
            }
        }
    }

    /// <summary>The entries of the ACL <paramref name="aclId"/>: <paramref name="existing"/> and the template's, by rule number.</summary>
    private static ImmutableArray<NetworkAclEntry> AclEntries(List<PropertyReader> entries, string aclId, ImmutableArray<NetworkAclEntry> existing)
    {
        var aclEntries = entries.Where(e => e.String("NetworkAclId") == aclId).Select(e =>
        {
            var protocol = e.Required("Protocol");
            var (from, to) = PortRangeOf(e, protocol);
            var (icmpType, icmpCode) = IcmpOf(e, protocol);
            var action = e.Required("RuleAction");
            if (action is not ("allow" or "deny"))
            {
                e.Problem("RuleAction", $"'{action}' is not allow or deny.");
            }

            return (Reader: e, Entry: new NetworkAclEntry(
                RuleNumberOf(e),
                protocol,
                action == "allow",
                e.Bool("Egress", false),
                e.String("CidrBlock") ?? e.String("Ipv6CidrBlock") ?? string.Empty,
                from,
                to,
                icmpType,
                icmpCode));
        }).ToList();

        // Each direction has one entry per rule number, the ACL's own (the default ACL's 100) included: EC2 refuses
        // another (NetworkAclEntryAlreadyExists).
        bool Taken(NetworkAclEntry entry, int index) =>
            existing.Any(o => o.Egress == entry.Egress && o.RuleNumber == entry.RuleNumber) ||
            aclEntries.Take(index).Any(o => o.Entry.Egress == entry.Egress && o.Entry.RuleNumber == entry.RuleNumber);
        foreach (var (reader, entry) in aclEntries.Where((e, i) => e.Entry.RuleNumber > 0 && Taken(e.Entry, i)))
        {
            reader.Problem("RuleNumber", $"The network acl entry identified by {entry.RuleNumber.ToString(CultureInfo.InvariantCulture)} already exists.");
        }

        return [.. existing.Concat(aclEntries.Select(e => e.Entry)).OrderBy(e => e.RuleNumber)];
    }

    /// <summary>
    /// An entry's port range (<c>PortRange</c>): CloudFormation requires it for protocol 6 (TCP) and 17 (UDP) — without
    /// it Cloister took every port — each end 0 to 65535 and <c>From</c> not above <c>To</c>. Other protocols ignore it.
    /// </summary>
    private static (int From, int To) PortRangeOf(PropertyReader e, string protocol)
    {
        var range = e.Map("PortRange");
        if (protocol is not ("6" or "17"))
        {
            return range is null ? (-1, -1) : (e.Int(range, "From", "PortRange.From", -1), e.Int(range, "To", "PortRange.To", -1));
        }

        const string Required = "PortRange is required for protocol 6 (TCP) and 17 (UDP).";
        if (range is null)
        {
            e.Problem("PortRange", Required);
            return (-1, -1);
        }

        var ports = new int[2];
        foreach (var (i, key, end) in (ReadOnlySpan<(int, string, string)>)[(0, "From", "from"), (1, "To", "to")])
        {
            if (range.Get(key) is null or ScalarNode { IsNull: true })
            {
                e.Problem($"PortRange.{key}", Required);
                return (-1, -1);
            }

            ports[i] = e.Int(range, key, $"PortRange.{key}", -1);
            if (ports[i] is < 0 or > 65535)
            {
                e.Problem($"PortRange.{key}", $"TCP/UDP ({end}) port ({ports[i].ToString(CultureInfo.InvariantCulture)}) out of range");
                return (-1, -1);
            }
        }

        if (ports[0] > ports[1])
        {
            e.Problem("PortRange.From", $"Invalid TCP/UDP port range: From {ports[0].ToString(CultureInfo.InvariantCulture)} is greater than To {ports[1].ToString(CultureInfo.InvariantCulture)}.");
        }

        return (ports[0], ports[1]);
    }

    /// <summary>An entry's rule number: required, 1 to 32766 (CloudFormation's and EC2's constraint).</summary>
    private static int RuleNumberOf(PropertyReader e)
    {
        if (e.String("RuleNumber", required: true) is null)
        {
            return 0;
        }

        var number = e.Int("RuleNumber", 0);
        if (number is < 1 or > 32766)
        {
            e.Problem("RuleNumber", $"'{number.ToString(CultureInfo.InvariantCulture)}' is not a network ACL rule number (1 to 32766).");
        }

        return number;
    }

    /// <summary>
    /// A network ACL entry's ICMP type and code (<c>Icmp</c>; -1 for all types, or all codes of the type). EC2 requires
    /// them for protocol 1 (ICMP) and for 58 (ICMPv6) with an IPv6 block, refusing the entry without a type ("The request
    /// must contain the parameter icmpTypeCode.type"); CloudFormation documents the code as required too. Every other
    /// protocol ignores them.
    /// </summary>
    private static (int Type, int Code) IcmpOf(PropertyReader e, string protocol)
    {
        if (!(protocol == "1" || (protocol == "58" && e.String("Ipv6CidrBlock") is not null)))
        {
            return (-1, -1);
        }

        if (e.Map("Icmp") is not { } icmp)
        {
            e.Problem("Icmp", "The request must contain the parameter icmpTypeCode.type");
            return (-1, -1);
        }

        int Read(string key, string name, string all)
        {
            if (icmp.Get(key) is null or ScalarNode { IsNull: true })
            {
                e.Problem($"Icmp.{key}", $"The request must contain the parameter icmpTypeCode.{name}");
                return -1;
            }

            var value = e.Int(icmp, key, $"Icmp.{key}", -1);
            if (value is < -1 or > 255)
            {
                e.Problem($"Icmp.{key}", $"ICMP {name} ({value.ToString(CultureInfo.InvariantCulture)}) out of range: -1 ({all}) or 0 to 255");
                return -1;
            }

            return value;
        }

        return (Read("Type", "type", "all types"), Read("Code", "code", "all codes"));
    }
}
