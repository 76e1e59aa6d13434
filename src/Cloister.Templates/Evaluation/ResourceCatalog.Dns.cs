using Cloister.Model.Identifiers;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>Route 53 and Route 53 Resolver types.</summary>
internal static partial class ResourceCatalog
{
    private static IEnumerable<ResourceType> DnsTypes()
    {
        yield return T("AWS::Route53::HostedZone", "Id NameServers", c =>
        {
            var id = c.NewId(IdKind.HostedZone);
            var servers = c.Properties.Get("VPCs") is ListNode { Items.Length: > 0 }
                ? Array.Empty<string>()
                : ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"];
            return c.Set("Id", id).Set("NameServers", servers).Done(id);
        });
        // Kept, not run: Route 53 health checkers cannot reach the sandbox's private addresses (docs/dns.md, "Routing policies").
        yield return T("AWS::Route53::HealthCheck", "HealthCheckId", c =>
        {
            var id = Guid.CreateVersion7().ToString();
            return c.Set("HealthCheckId", id).Done(id);
        });
        yield return T("AWS::Route53::RecordSet", string.Empty, c => c.Done(c.Prop("Name") ?? c.LogicalId));
        yield return T("AWS::Route53::RecordSetGroup", string.Empty, c => c.Done(c.LogicalId + "-" + c.NewId(IdKind.ApiKey)));
        yield return T(
            "AWS::Route53Resolver::ResolverEndpoint",
            "Arn Direction HostVPCId IpAddressCount Name OutpostArn PreferredInstanceType ResolverEndpointId ResolverEndpointType IpAddresses",
            ResolverEndpointIdentity);
        yield return T("AWS::Route53Resolver::ResolverRule", "Arn DomainName Name ResolverEndpointId ResolverRuleId TargetIps", c =>
        {
            var id = c.NewId(IdKind.ResolverRule);
            return c.Set("Arn", c.Arn("route53resolver", "resolver-rule/" + id)).Set("DomainName", c.Prop("DomainName") ?? string.Empty)
                .Set("Name", c.Prop("Name") ?? string.Empty).Set("ResolverEndpointId", c.Prop("ResolverEndpointId") ?? string.Empty)
                .Set("ResolverRuleId", id).Set("TargetIps", c.Properties.Get("TargetIps") ?? new ListNode([], c.Location))
                .Done(id);
        });
        yield return T("AWS::Route53Resolver::ResolverRuleAssociation", "Name ResolverRuleAssociationId ResolverRuleId VPCId", c =>
        {
            var id = c.NewId(IdKind.ResolverRuleAssociation);
            return c.Set("Name", c.Prop("Name") ?? string.Empty).Set("ResolverRuleAssociationId", id)
                .Set("ResolverRuleId", c.Prop("ResolverRuleId") ?? string.Empty).Set("VPCId", c.Prop("VPCId") ?? string.Empty)
                .Done(id);
        });
        yield return T(
            "AWS::Route53Resolver::ResolverQueryLoggingConfig",
            "Arn AssociationCount CreationTime CreatorRequestId DestinationArn Id Name OwnerId ShareStatus Status",
            c =>
            {
                var id = c.NewId(IdKind.ResolverQueryLogConfig);
                return c.Set("Arn", c.Arn("route53resolver", "resolver-query-log-config/" + id)).Set("AssociationCount", "0")
                    .Set("CreationTime", "2024-01-01T00:00:00.000Z").Set("CreatorRequestId", c.LogicalId)
                    .Set("DestinationArn", c.Prop("DestinationArn") ?? string.Empty).Set("Id", id).Set("Name", c.Prop("Name") ?? string.Empty)
                    .Set("OwnerId", c.Account).Set("ShareStatus", "NOT_SHARED").Set("Status", "CREATED")
                    .Done(id);
            });
        yield return T(
            "AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation",
            "CreationTime Error ErrorMessage Id ResolverQueryLogConfigId ResourceId Status",
            c =>
            {
                var id = "rslvr-qlcassoc-" + c.NewId(IdKind.Vpc)[4..];
                return c.Set("CreationTime", "2024-01-01T00:00:00.000Z").Set("Error", "NONE").Set("ErrorMessage", string.Empty).Set("Id", id)
                    .Set("ResolverQueryLogConfigId", c.Prop("ResolverQueryLogConfigId") ?? string.Empty)
                    .Set("ResourceId", c.Prop("ResourceId") ?? string.Empty).Set("Status", "ACTIVE")
                    .Done(id);
            });
    }

    private static ResourceIdentity ResolverEndpointIdentity(ResourceIdentityContext c)
    {
        var inbound = string.Equals(c.Prop("Direction"), "INBOUND", StringComparison.OrdinalIgnoreCase);
        var id = c.NewId(inbound ? IdKind.ResolverInboundEndpoint : IdKind.ResolverOutboundEndpoint);
        var addresses = new List<string>();
        var vpcId = string.Empty;
        var items = NodeFactory.Items(c.Properties.Get("IpAddresses"));
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is not MapNode address)
            {
                continue;
            }

            var subnetId = address.GetString("SubnetId") ?? string.Empty;
            vpcId = vpcId.Length > 0 ? vpcId : c.Lookup(subnetId)?.Attribute("VpcId") ?? string.Empty;
            var ip = address.GetString("Ip");
            if (ip is null)
            {
                ip = c.State.Addresses.Allocate(subnetId) ?? string.Empty;
            }
            else if (!c.State.Addresses.Reserve(subnetId, ip))
            {
                c.Problem($"IpAddresses[{i}].Ip", $"The address '{ip}' is already in use by another network interface in this subnet.");
            }

            addresses.Add(ip);
        }

        return c.Set("Arn", c.Arn("route53resolver", "resolver-endpoint/" + id)).Set("Direction", inbound ? "INBOUND" : "OUTBOUND")
            .Set("HostVPCId", vpcId).Set("IpAddressCount", addresses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("Name", c.Prop("Name") ?? string.Empty).Set("OutpostArn", string.Empty).Set("PreferredInstanceType", string.Empty)
            .Set("ResolverEndpointId", id).Set("ResolverEndpointType", c.Prop("ResolverEndpointType") ?? "IPV4")
            .Set("IpAddresses", addresses).Set(HiddenAttributes.ResolverAddresses, addresses)
            .Done(id);
    }
}
