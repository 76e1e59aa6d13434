using System.Collections.Immutable;

namespace Cloister.Model.Dns;

/// <summary>A Route 53 Resolver endpoint: at least two addresses in a VPC.</summary>
/// <param name="Id">The <c>rslvr-in-</c> or <c>rslvr-out-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Direction">Inbound or outbound.</param>
/// <param name="VpcId">The VPC of its subnets.</param>
/// <param name="SecurityGroupIds">Its security groups (must allow 53 in for inbound).</param>
/// <param name="IpAddresses">Its addresses, two to six.</param>
public sealed record ResolverEndpoint(string Id, string LogicalId, string Name, ResolverDirection Direction, string VpcId, ImmutableArray<string> SecurityGroupIds, ImmutableArray<ResolverIpAddress> IpAddresses) : IResource;
