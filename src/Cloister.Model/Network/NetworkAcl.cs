using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>
/// A stateless network ACL and the subnets it guards. A VPC's default ACL (<see cref="IsDefault"/>) guards every subnet
/// of the VPC that no other ACL takes; a subnet with neither has a default ACL of rule 100 only, which allows all.
/// </summary>
/// <param name="Id">The <c>acl-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it belongs to.</param>
/// <param name="Entries">Its rules; anything no rule matches is denied.</param>
/// <param name="SubnetIds">The subnets associated with it.</param>
/// <param name="IsDefault">Whether it is the VPC's default ACL, used by subnets with no association (as a VPC's main route table is).</param>
public sealed record NetworkAcl(string Id, string LogicalId, string VpcId, ImmutableArray<NetworkAclEntry> Entries, ImmutableArray<string> SubnetIds, bool IsDefault = false) : IResource;
