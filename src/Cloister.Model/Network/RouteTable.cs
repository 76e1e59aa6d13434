using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A route table and the subnets that use it.</summary>
/// <param name="Id">The <c>rtb-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it belongs to.</param>
/// <param name="Routes">Its routes; the local route is implicit and need not be listed.</param>
/// <param name="SubnetIds">The subnets associated with it.</param>
/// <param name="IsMain">Whether it is the VPC's main table, used by subnets with no association.</param>
public sealed record RouteTable(string Id, string LogicalId, string VpcId, ImmutableArray<Route> Routes, ImmutableArray<string> SubnetIds, bool IsMain = false) : IResource;
