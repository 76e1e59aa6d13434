using System.Collections.Immutable;

namespace Cloister.Network.Placement;

/// <summary>
/// Where a function's process runs: in a subnet of a VPC with security groups (Lambda's VPC ENI), or, when
/// <paramref name="SubnetIds"/> is empty, in the namespace of functions that are not in a VPC (region access only).
/// </summary>
/// <param name="SubnetIds">The function's VPC subnets; one is chosen.</param>
/// <param name="SecurityGroupIds">The function's security groups.</param>
public sealed record ProcessPlacement(ImmutableArray<string> SubnetIds, ImmutableArray<string> SecurityGroupIds)
{
    /// <summary>No VPC: the process reaches only the region's services.</summary>
    public static ProcessPlacement NoVpc { get; } = new([], []);
}
