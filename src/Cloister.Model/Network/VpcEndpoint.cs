using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A VPC endpoint to a regional service.</summary>
/// <param name="Id">The <c>vpce-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it is in.</param>
/// <param name="ServiceName">Such as <c>com.amazonaws.eu-central-1.execute-api</c>.</param>
/// <param name="Type">Interface or Gateway.</param>
/// <param name="SubnetIds">Interface endpoints: one network interface per subnet.</param>
/// <param name="SecurityGroupIds">Interface endpoints: the groups on its interfaces.</param>
/// <param name="RouteTableIds">Gateway endpoints: the route tables that get the service's prefix list route.</param>
/// <param name="PrivateDnsEnabled">Interface endpoints: whether the service's regional name resolves to it inside the VPC.</param>
/// <param name="PolicyDocument">The endpoint policy JSON; null means AWS's default full access.</param>
/// <param name="NetworkInterfaces">Interface endpoints: the interfaces assigned when deployed.</param>
public sealed record VpcEndpoint(
    string Id,
    string LogicalId,
    string VpcId,
    string ServiceName,
    VpcEndpointType Type,
    ImmutableArray<string> SubnetIds,
    ImmutableArray<string> SecurityGroupIds,
    ImmutableArray<string> RouteTableIds,
    bool PrivateDnsEnabled,
    string? PolicyDocument,
    ImmutableArray<NetworkInterface> NetworkInterfaces) : IResource
{
    /// <summary>Interface endpoints: <c>DnsOptions</c> (record type, private DNS only for inbound Resolver endpoints).</summary>
    public VpcEndpointDnsOptions DnsOptions { get; init; } = VpcEndpointDnsOptions.Default;

    /// <summary>The service's short name: <c>execute-api</c> for <c>com.amazonaws.eu-central-1.execute-api</c>.</summary>
    public string ServiceShortName => ServiceName[(ServiceName.LastIndexOf('.') + 1)..];
}
