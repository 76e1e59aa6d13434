using Cloister.Model.Network;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// VPC endpoints' <c>DnsOptions</c> as CloudFormation's <c>DnsOptionsSpecification</c> writes them (its string enums,
/// not EC2's API forms), refused as CloudFormation and EC2 refuse them (see docs/network.md, "DynamoDB interface endpoints").
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string InboundResolverProperty = "DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint";

    /// <summary>The services that have both gateway and interface endpoints, the only ones where private DNS can be inbound-only.</summary>
    private static readonly HashSet<string> GatewayAndInterfaceServices = new(["dynamodb", "s3"], StringComparer.Ordinal);

    /// <summary>CloudFormation's <c>DnsRecordIpType</c> values: EC2's, and <c>not-specified</c> (EC2 chooses: ipv4 for an IPv4 endpoint).</summary>
    private static readonly string[] RecordIpTypes = ["ipv4", "ipv6", "dualstack", "service-defined", "not-specified"];

    /// <summary>
    /// CloudFormation's <c>PrivateDnsOnlyForInboundResolverEndpoint</c> values and the choice each makes (EC2's boolean);
    /// NotSpecified is as if it were left out: EC2 chooses.
    /// </summary>
    private static readonly (string Value, bool? OnlyInbound)[] InboundResolverChoices = [("OnlyInboundResolver", true), ("AllResolvers", false), ("NotSpecified", null)];

    private readonly List<(PropertyReader Reader, bool? OnlyInbound, int Index)> _privateDnsEndpoints = [];

    /// <summary>Reads <c>DnsOptions</c>; what needs the other endpoints is checked by <see cref="CheckEndpointPrivateDns"/> once all are built.</summary>
    private VpcEndpointDnsOptions EndpointDnsOptions(PropertyReader r, VpcEndpointType type, bool privateDns, string service)
    {
        var options = r.Map("DnsOptions");
        if (options is null)
        {
            if (type == VpcEndpointType.Interface && privateDns)
            {
                _privateDnsEndpoints.Add((r, null, _endpoints.Count));
            }

            return VpcEndpointDnsOptions.Default;
        }

        var recordType = RecordIpType(r, options);
        var onlyInbound = OnlyInboundResolver(r, options);
        if (onlyInbound == true)
        {
            if (type != VpcEndpointType.Interface || !GatewayAndInterfaceServices.Contains(ShortName(service)))
            {
                r.Problem(InboundResolverProperty, $"OnlyInboundResolver is available only for interface endpoints of services that support both gateway and interface endpoints (dynamodb, s3), not for this {type} endpoint of '{service}'.");
            }
            else if (!privateDns)
            {
                r.Problem(InboundResolverProperty, "OnlyInboundResolver needs PrivateDnsEnabled true.");
            }
        }

        if (type == VpcEndpointType.Interface && privateDns)
        {
            _privateDnsEndpoints.Add((r, onlyInbound, _endpoints.Count));
        }

        return new VpcEndpointDnsOptions(recordType, onlyInbound == true);
    }

    /// <summary>The record type, <c>ipv4</c> where CloudFormation's value leaves EC2 to choose (or where it is refused).</summary>
    private static string RecordIpType(PropertyReader r, MapNode options)
    {
        const string property = "DnsOptions.DnsRecordIpType";
        var recordType = r.String(options, "DnsRecordIpType", property) ?? "not-specified";
        if (!RecordIpTypes.Contains(recordType, StringComparer.Ordinal))
        {
            r.Problem(property, $"'{recordType}' is not one of {string.Join(", ", RecordIpTypes)}.");
        }
        else if (recordType is "ipv6" or "dualstack")
        {
            // EC2 needs IpAddressType ipv6 or dualstack for these; Cloister's sandbox and endpoints are IPv4 only.
            r.Problem(property, $"'{recordType}' needs an endpoint with IPv6 addresses (IpAddressType ipv6 or dualstack); Cloister's endpoints have IPv4 addresses only, so use ipv4 or service-defined.");
        }
        else if (recordType != "not-specified")
        {
            return recordType;
        }

        return VpcEndpointDnsOptions.Ipv4;
    }

    /// <summary>EC2's boolean for CloudFormation's value; null when EC2 chooses (left out, NotSpecified, or refused).</summary>
    private static bool? OnlyInboundResolver(PropertyReader r, MapNode options)
    {
        var text = r.String(options, "PrivateDnsOnlyForInboundResolverEndpoint", InboundResolverProperty);
        if (text is null)
        {
            return null;
        }

        foreach (var (value, onlyInbound) in InboundResolverChoices)
        {
            if (string.Equals(text, value, StringComparison.Ordinal))
            {
                return onlyInbound;
            }
        }

        // EC2's API and CLI take a boolean here; CloudFormation's schema takes only its enum, and so does Cloister.
        var hint = text is "true" or "false" ? $" (EC2's API takes true/false; CloudFormation writes {(text == "true" ? "OnlyInboundResolver" : "AllResolvers")})" : string.Empty;
        r.Problem(InboundResolverProperty, $"'{text}' is not one of {string.Join(", ", InboundResolverChoices.Select(c => c.Value))}{hint}.");
        return null;
    }

    /// <summary>
    /// Private DNS of a DynamoDB or S3 interface endpoint in a VPC that also has a gateway endpoint of the service must be
    /// inbound-only (EC2 sets it so when it is not given, and refuses false); inbound-only needs that gateway endpoint.
    /// </summary>
    private void CheckEndpointPrivateDns()
    {
        foreach (var (r, onlyInbound, index) in _privateDnsEndpoints)
        {
            var endpoint = _endpoints[index];
            if (!GatewayAndInterfaceServices.Contains(endpoint.ServiceShortName))
            {
                continue;
            }

            var gateway = _endpoints.Exists(e => e.Type == VpcEndpointType.Gateway && e.VpcId == endpoint.VpcId && e.ServiceName == endpoint.ServiceName);
            if (gateway && onlyInbound == false)
            {
                r.Problem(InboundResolverProperty, $"must be OnlyInboundResolver (or left out): the VPC {endpoint.VpcId} has a Gateway endpoint for {endpoint.ServiceName}, so private DNS can only be for inbound Resolver endpoints.");
            }
            else if (!gateway && onlyInbound == true)
            {
                // EC2's own words, which CloudFormation passes on.
                r.Problem(InboundResolverProperty, $"OnlyInboundResolver needs a Gateway endpoint of the service in the VPC: To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC {endpoint.VpcId} must have a Gateway endpoint for the service {endpoint.ServiceName}.");
            }
            else if (gateway && onlyInbound is null)
            {
                _endpoints[index] = endpoint with { DnsOptions = endpoint.DnsOptions with { PrivateDnsOnlyForInboundResolverEndpoint = true } };
            }
        }
    }

    private static string ShortName(string serviceName) => serviceName[(serviceName.LastIndexOf('.') + 1)..];
}
