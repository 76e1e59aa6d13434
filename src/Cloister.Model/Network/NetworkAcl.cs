using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A stateless network ACL and the subnets it guards. A subnet with none has the default ACL, which allows all.</summary>
/// <param name="Id">The <c>acl-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it belongs to.</param>
/// <param name="Entries">Its rules; anything no rule matches is denied.</param>
/// <param name="SubnetIds">The subnets associated with it.</param>
public sealed record NetworkAcl(string Id, string LogicalId, string VpcId, ImmutableArray<NetworkAclEntry> Entries, ImmutableArray<string> SubnetIds) : IResource;
