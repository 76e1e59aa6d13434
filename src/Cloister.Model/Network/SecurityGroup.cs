using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A stateful security group: what may come in and go out of the network interfaces it is attached to.</summary>
/// <param name="Id">The <c>sg-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it belongs to.</param>
/// <param name="Name">The group name.</param>
/// <param name="Description">The group description.</param>
/// <param name="Ingress">The ingress rules (none: nothing comes in).</param>
/// <param name="Egress">The egress rules (AWS's default: all out).</param>
public sealed record SecurityGroup(string Id, string LogicalId, string VpcId, string Name, string Description, ImmutableArray<SecurityGroupRule> Ingress, ImmutableArray<SecurityGroupRule> Egress) : IResource;
