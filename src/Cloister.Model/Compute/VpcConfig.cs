using System.Collections.Immutable;

namespace Cloister.Model.Compute;

/// <summary>Where a function's network interfaces go.</summary>
/// <param name="SubnetIds">The subnets.</param>
/// <param name="SecurityGroupIds">The security groups.</param>
public sealed record VpcConfig(ImmutableArray<string> SubnetIds, ImmutableArray<string> SecurityGroupIds);
