using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>An EC2 instance: in Cloister, a host in its subnet that users step onto.</summary>
/// <param name="Id">The <c>i-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="SubnetId">Its subnet.</param>
/// <param name="PrivateIpAddress">Its private address; null until assigned.</param>
/// <param name="SecurityGroupIds">Its security groups (none: the VPC's default group).</param>
/// <param name="Name">The Name tag, if any.</param>
/// <param name="UserData">Its user data script, decoded, if any.</param>
/// <param name="InstanceProfileRole">The role of its instance profile, whose credentials the instance metadata service hands out; null without one.</param>
public sealed record Instance(string Id, string LogicalId, string SubnetId, string? PrivateIpAddress, ImmutableArray<string> SecurityGroupIds, string? Name = null, string? UserData = null, string? InstanceProfileRole = null) : IResource;
