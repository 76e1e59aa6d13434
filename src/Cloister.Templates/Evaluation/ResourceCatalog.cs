using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model.Identifiers;
using Cloister.Model.Network;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Every resource type Cloister accepts, with its <c>Fn::GetAtt</c> attributes and identity.
/// Types Cloister runs are mapped to the model by <c>Mapping/</c>; the others (IAM, logs, internet
/// gateways...) are kept as plain resources with their attributes.
/// </summary>
internal static partial class ResourceCatalog
{
    private static readonly FrozenDictionary<string, ResourceType> Types =
        Ec2Types().Concat(DnsTypes()).Concat(ApiTypes()).Concat(OtherTypes()).Concat(OnPremisesTypeList()).ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static ResourceType? Find(string type) => Types.GetValueOrDefault(type);

    public static IEnumerable<string> Names => Types.Keys;

    private static ResourceType T(string name, string attributes, Func<ResourceIdentityContext, ResourceIdentity> create) =>
        new(name, [.. attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries)], create);

    private static ResourceType Simple(string name, IdKind kind, string attributes = "") =>
        T(name, attributes, c =>
        {
            var id = c.NewId(kind);
            foreach (var attribute in attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                c.Set(attribute, id);
            }

            return c.Done(id);
        });

    private static IEnumerable<ResourceType> Ec2Types()
    {
        yield return T("AWS::EC2::VPC", "CidrBlock CidrBlockAssociations DefaultNetworkAcl DefaultSecurityGroup Ipv6CidrBlocks VpcId", c =>
        {
            var id = c.NewId(IdKind.Vpc);
            return c.Set("CidrBlock", c.Prop("CidrBlock") ?? string.Empty)
                .Set("CidrBlockAssociations", [$"vpc-cidr-assoc-{c.NewId(IdKind.Vpc)[4..]}"])
                .Set("DefaultNetworkAcl", c.NewId(IdKind.NetworkAcl))
                .Set("DefaultSecurityGroup", c.NewId(IdKind.SecurityGroup))
                .Set("Ipv6CidrBlocks", [])
                .Set("VpcId", id)
                .Done(id);
        });
        yield return T("AWS::EC2::Subnet", "AvailabilityZone AvailabilityZoneId CidrBlock Ipv6CidrBlocks NetworkAclAssociationId OutpostArn SubnetId VpcId", c =>
        {
            var id = c.NewId(IdKind.Subnet);
            var zone = c.Prop("AvailabilityZone") ?? AvailabilityZones.Of(c.Region)[0];
            c.State.Addresses.AddSubnet(id, c.Prop("CidrBlock") ?? string.Empty);
            return c.Set("AvailabilityZone", zone).Set("AvailabilityZoneId", AvailabilityZones.IdOf(zone))
                .Set("CidrBlock", c.Prop("CidrBlock") ?? string.Empty).Set("Ipv6CidrBlocks", [])
                .Set("NetworkAclAssociationId", $"aclassoc-{c.NewId(IdKind.Vpc)[4..]}").Set("OutpostArn", string.Empty)
                .Set("SubnetId", id).Set("VpcId", c.Prop("VpcId") ?? string.Empty)
                .Done(id);
        });
        yield return Simple("AWS::EC2::RouteTable", IdKind.RouteTable, "RouteTableId");
        yield return T("AWS::EC2::Route", string.Empty, c => c.Done($"{c.Prop("RouteTableId")}|{c.Prop("DestinationCidrBlock") ?? c.Prop("DestinationPrefixListId")}"));
        yield return T("AWS::EC2::SubnetRouteTableAssociation", "Id", c =>
        {
            var id = $"rtbassoc-{c.NewId(IdKind.RouteTable)[4..]}";
            return c.Set("Id", id).Done(id);
        });
        yield return T("AWS::EC2::SecurityGroup", "GroupId VpcId", c =>
        {
            var id = c.NewId(IdKind.SecurityGroup);
            return c.Set("GroupId", id).Set("VpcId", c.Prop("VpcId") ?? string.Empty).Done(id);
        });
        yield return Simple("AWS::EC2::SecurityGroupIngress", IdKind.SecurityGroupRule, "Id");
        yield return Simple("AWS::EC2::SecurityGroupEgress", IdKind.SecurityGroupRule, "Id");
        yield return T(LaunchTemplates.Type, "DefaultVersionNumber LatestVersionNumber LaunchTemplateId", c =>
        {
            var id = "lt-" + c.NewId(IdKind.Instance)[2..];
            if (c.Properties.Get("LaunchTemplateData") is not MapNode)
            {
                c.Problem("LaunchTemplateData", "is required, a map of the instance's settings.");
            }

            if (c.Prop("LaunchTemplateName") is { } name && (name.Length is < 3 or > 128 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '(' or ')' or '.' or '/' or '_' or '-')))
            {
                c.Problem("LaunchTemplateName", $"'{name}' is not 3 to 128 letters, digits and ( ) . / _ - (EC2's constraint on a launch template name).");
            }

            return c.Set("DefaultVersionNumber", LaunchTemplates.OnlyVersion).Set("LatestVersionNumber", LaunchTemplates.OnlyVersion)
                .Set("LaunchTemplateId", id).Set(HiddenAttributes.LaunchTemplateName, c.Prop("LaunchTemplateName") ?? c.GeneratedName(128)).Done(id);
        });
        yield return T("AWS::EC2::PrefixList", "Arn OwnerId PrefixListId Version", c =>
        {
            var id = c.NewId(IdKind.PrefixList);
            return c.Set("Arn", c.Arn("ec2", "prefix-list/" + id)).Set("OwnerId", c.Account).Set("PrefixListId", id).Set("Version", "1").Done(id);
        });
        yield return T("AWS::EC2::VPCEndpoint", "CreationTimestamp DnsEntries Id NetworkInterfaceIds", VpcEndpointIdentity);
        yield return Simple("AWS::EC2::VPCPeeringConnection", IdKind.PeeringConnection, "Id");
        yield return T("AWS::EC2::Instance", "AvailabilityZone Ipv6Addresses PrivateDnsName PrivateIp PublicDnsName PublicIp VpcId InstanceId", InstanceIdentity);
        yield return Simple("AWS::EC2::NetworkAcl", IdKind.NetworkAcl, "Id");
        yield return T("AWS::EC2::NetworkAclEntry", "Id", c =>
        {
            var id = $"{c.Prop("NetworkAclId")}|{c.Prop("RuleNumber")}|{c.Prop("Egress") ?? "false"}";
            return c.Set("Id", id).Done(id);
        });
        yield return T("AWS::EC2::SubnetNetworkAclAssociation", "AssociationId", c =>
        {
            var id = $"aclassoc-{c.NewId(IdKind.NetworkAcl)[4..]}";
            return c.Set("AssociationId", id).Done(id);
        });
        yield return Simple("AWS::EC2::InternetGateway", IdKind.InternetGateway, "InternetGatewayId");
        yield return T("AWS::EC2::EIP", "AllocationId PublicIp", ElasticIpIdentity);
        yield return T("AWS::EC2::NatGateway", "NatGatewayId", c =>
        {
            var id = "nat-" + c.NewId(IdKind.Vpc)[4..];
            return c.Set("NatGatewayId", id).Done(id);
        });
        yield return T("AWS::EC2::VPCGatewayAttachment", string.Empty, c => c.Done($"IGW|{c.Prop("VpcId")}"));
        yield return Simple("AWS::EC2::VPNGateway", IdKind.VpnGateway, "VPNGatewayId");
        yield return Simple("AWS::EC2::CustomerGateway", IdKind.CustomerGateway, "CustomerGatewayId");
        yield return Simple("AWS::EC2::VPNConnection", IdKind.VpnConnection, "VpnConnectionId");
        yield return T("AWS::EC2::VPNConnectionRoute", string.Empty, c => c.Done($"{c.Prop("VpnConnectionId")}|{c.Prop("DestinationCidrBlock")}"));
        yield return T("AWS::EC2::VPNGatewayRoutePropagation", string.Empty, c => c.Done($"{c.Prop("VpnGatewayId")}|propagation"));
    }

    /// <summary>
    /// An Elastic IP: Ref is its public address, taken from TEST-NET-3 (203.0.113.0/24, documentation only, never
    /// routed) from its allocation id, the next free one if another address of the stack has it. Nothing answers there.
    /// </summary>
    private static ResourceIdentity ElasticIpIdentity(ResourceIdentityContext c)
    {
        var allocationId = "eipalloc-" + c.NewId(IdKind.Vpc)[4..];
        var host = Convert.ToInt32(allocationId[^2..], 16) % 254;
        var ip = $"203.0.113.{host + 1}";
        for (var tried = 1; c.Lookup(ip) is not null && tried < 254; tried++)
        {
            ip = $"203.0.113.{((host + tried) % 254) + 1}";
        }

        return c.Set("AllocationId", allocationId).Set("PublicIp", ip).Done(ip);
    }

    private static ResourceIdentity VpcEndpointIdentity(ResourceIdentityContext c)
    {
        var id = c.NewId(IdKind.VpcEndpoint);
        var interfaces = new List<string>();
        var entries = new List<string>();
        var isInterface = string.Equals(c.Prop("VpcEndpointType") ?? "Gateway", "Interface", StringComparison.OrdinalIgnoreCase);
        if (isInterface)
        {
            var service = c.Prop("ServiceName") ?? string.Empty;
            var shortName = service[(service.LastIndexOf('.') + 1)..];
            var suffix = Model.Network.VpcEndpointDnsSuffix.Of(id);
            var zoneId = "Z" + c.NewId(IdKind.HostedZone)[1..14];
            entries.Add($"{zoneId}:{id}-{suffix}.{shortName}.{c.Region}.vpce.{c.State.Account.UrlSuffix}");
            foreach (var subnetId in c.PropList("SubnetIds"))
            {
                var zone = c.Lookup(subnetId)?.Attribute("AvailabilityZone") ?? AvailabilityZones.Of(c.Region)[0];
                entries.Add($"{zoneId}:{id}-{suffix}-{zone}.{shortName}.{c.Region}.vpce.{c.State.Account.UrlSuffix}");
                var eni = c.NewId(IdKind.NetworkInterface);
                interfaces.Add(eni);
                var ip = c.State.Addresses.Allocate(subnetId);
                c.Set(HiddenAttributes.EniAddress(eni), ip ?? string.Empty).Set(HiddenAttributes.EniSubnet(eni), subnetId);
            }

            // After the public names, as CloudFormation orders them: the private DNS name, then (execute-api) its wildcard.
            if (string.Equals(c.Prop("PrivateDnsEnabled"), "true", StringComparison.OrdinalIgnoreCase))
            {
                var privateZone = Model.Network.VpcEndpointDnsSuffix.PrivateZoneId(id);
                entries.Add($"{privateZone}:{shortName}.{c.Region}.{c.State.Account.UrlSuffix}");
                if (shortName == "execute-api")
                {
                    entries.Add($"{privateZone}:*.{shortName}.{c.Region}.{c.State.Account.UrlSuffix}");
                }
            }
        }

        return c.Set("CreationTimestamp", "2024-01-01T00:00:00.000Z").Set("DnsEntries", entries).Set("Id", id)
            .Set("NetworkInterfaceIds", interfaces).Done(id);
    }

    private static ResourceIdentity InstanceIdentity(ResourceIdentityContext c)
    {
        var id = c.NewId(IdKind.Instance);
        // An instance launched into a network interface it describes (its own or its launch template's) gives its subnet
        // and address there.
        var nic = NodeFactory.Items(c.Properties.Get("NetworkInterfaces")).OfType<MapNode>().FirstOrDefault();
        var subnetId = c.Prop("SubnetId") ?? nic?.GetString("SubnetId") ?? string.Empty;
        var ip = c.Prop("PrivateIpAddress") ?? nic?.GetString("PrivateIpAddress");
        if (ip is null)
        {
            ip = c.State.Addresses.Allocate(subnetId) ?? string.Empty;
        }
        else if (!c.State.Addresses.Reserve(subnetId, ip))
        {
            c.Problem("PrivateIpAddress", $"The address '{ip}' is already in use by another network interface in this subnet.");
        }

        var subnet = c.Lookup(subnetId);
        var zone = subnet?.Attribute("AvailabilityZone") ?? c.Prop("AvailabilityZone") ?? AvailabilityZones.Of(c.Region)[0];
        var privateDnsName = HostnameTypeAtLaunch(c, subnet) == HostnameType.ResourceName ? Ec2HostNames.ResourceName(id, c.Region) : Ec2HostNames.IpName(ip, c.Region);
        return c.Set("AvailabilityZone", zone).Set("Ipv6Addresses", []).Set("PrivateDnsName", privateDnsName)
            .Set("PrivateIp", ip).Set("PublicDnsName", string.Empty).Set("PublicIp", string.Empty)
            .Set("VpcId", subnet?.Attribute("VpcId") ?? string.Empty).Set("InstanceId", id)
            .Done(id);
    }

    /// <summary>
    /// The instance's <c>HostnameType</c> as EC2 settles it at launch: its own <c>PrivateDnsNameOptions</c>, else its
    /// subnet's <c>PrivateDnsNameOptionsOnLaunch</c>, else ip-name. A value EC2 would refuse counts as ip-name here; the
    /// model builder reports it.
    /// </summary>
    private static HostnameType HostnameTypeAtLaunch(ResourceIdentityContext c, EvaluatedResource? subnet)
    {
        var own = (c.Properties.Get("PrivateDnsNameOptions") as MapNode)?.GetString("HostnameType");
        var inherited = (subnet?.PropNode("PrivateDnsNameOptionsOnLaunch") as MapNode)?.GetString("HostnameType");
        return PrivateDnsNameOptions.TryParseHostnameType(own ?? inherited, out var type) ? type : HostnameType.IpName;
    }
}
