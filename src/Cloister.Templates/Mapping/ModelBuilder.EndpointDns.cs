using Cloister.Model.Network;

namespace Cloister.Templates.Mapping;

/// <summary>
/// VPC endpoints' <c>DnsOptions</c>, refused as EC2 refuses them (see docs/network.md, "DynamoDB interface endpoints").
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>The services that have both gateway and interface endpoints, the only ones where private DNS can be inbound-only.</summary>
    private static readonly HashSet<string> GatewayAndInterfaceServices = new(["dynamodb", "s3"], StringComparer.Ordinal);

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

        var recordType = r.String(options, "DnsRecordIpType", "DnsOptions.DnsRecordIpType") ?? VpcEndpointDnsOptions.Ipv4;
        if (!VpcEndpointDnsOptions.RecordIpTypes.Contains(recordType))
        {
            r.Problem("DnsOptions.DnsRecordIpType", $"'{recordType}' is not one of {string.Join(", ", VpcEndpointDnsOptions.RecordIpTypes)}.");
        }
        else if (recordType is "ipv6" or "dualstack")
        {
            // EC2 needs IpAddressType ipv6 or dualstack for these; Cloister's sandbox and endpoints are IPv4 only.
            r.Problem("DnsOptions.DnsRecordIpType", $"'{recordType}' needs an endpoint with IPv6 addresses (IpAddressType ipv6 or dualstack); Cloister's endpoints have IPv4 addresses only, so use ipv4 or service-defined.");
        }

        bool? onlyInbound = options.Get("PrivateDnsOnlyForInboundResolverEndpoint") is null
            ? null
            : r.Bool(options, "PrivateDnsOnlyForInboundResolverEndpoint", "DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint", false);
        if (onlyInbound == true)
        {
            if (type != VpcEndpointType.Interface || !GatewayAndInterfaceServices.Contains(ShortName(service)))
            {
                r.Problem("DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint", $"is available only for interface endpoints of services that support both gateway and interface endpoints (dynamodb, s3), not for this {type} endpoint of '{service}'.");
            }
            else if (!privateDns)
            {
                r.Problem("DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint", "needs PrivateDnsEnabled true.");
            }
        }

        if (type == VpcEndpointType.Interface && privateDns)
        {
            _privateDnsEndpoints.Add((r, onlyInbound, _endpoints.Count));
        }

        return new VpcEndpointDnsOptions(recordType, onlyInbound == true);
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
            const string property = "DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint";
            if (gateway && onlyInbound == false)
            {
                r.Problem(property, $"must be true: the VPC {endpoint.VpcId} has a Gateway endpoint for {endpoint.ServiceName}, so private DNS can only be for inbound Resolver endpoints.");
            }
            else if (!gateway && onlyInbound == true)
            {
                r.Problem(property, $"To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC {endpoint.VpcId} must have a Gateway endpoint for the service {endpoint.ServiceName}.");
            }
            else if (gateway && onlyInbound is null)
            {
                _endpoints[index] = endpoint with { DnsOptions = endpoint.DnsOptions with { PrivateDnsOnlyForInboundResolverEndpoint = true } };
            }
        }
    }

    private static string ShortName(string serviceName) => serviceName[(serviceName.LastIndexOf('.') + 1)..];
}
