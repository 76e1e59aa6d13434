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
/// <param name="ImageId">The template's <c>ImageId</c> (the host runs this machine's OS; the metadata service reports it); null when not given.</param>
/// <param name="InstanceType">The template's <c>InstanceType</c>, <c>m1.small</c> when not given, as EC2 defaults.</param>
public sealed record Instance(string Id, string LogicalId, string SubnetId, string? PrivateIpAddress, ImmutableArray<string> SecurityGroupIds, string? Name = null, string? UserData = null, string? InstanceProfileRole = null, string? ImageId = null, string InstanceType = "m1.small") : IResource
{
    /// <summary>Its <c>PrivateDnsNameOptions</c>: its own when launched with them, else its subnet's <c>PrivateDnsNameOptionsOnLaunch</c>.</summary>
    public PrivateDnsNameOptions PrivateDnsNameOptions { get; init; } = PrivateDnsNameOptions.Default;

    /// <summary>Its <c>MetadataOptions</c>: how the instance metadata service answers it.</summary>
    public InstanceMetadataOptions MetadataOptions { get; init; } = InstanceMetadataOptions.Default;

    /// <summary>
    /// Its tags in the template's order, then CloudFormation's own (<c>aws:cloudformation:stack-name</c>,
    /// <c>logical-id</c>, <c>stack-id</c>); the metadata service serves them when <see cref="InstanceMetadataOptions.InstanceMetadataTags"/> is on.
    /// </summary>
    public ImmutableArray<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>
    /// Whether EC2 may assume <see cref="InstanceProfileRole"/>: false when the role's trust policy does not let
    /// <c>ec2.amazonaws.com</c> assume it, and the metadata service then answers with EC2's error instead of credentials.
    /// </summary>
    public bool InstanceProfileRoleAssumable { get; init; } = true;

    /// <summary>
    /// Its instance profile's ARN (<c>iam/info</c>'s <c>InstanceProfileArn</c>), with the profile's own name and path when the
    /// profile is in the templates or given as an ARN; null otherwise, and the profile is then named as <see cref="InstanceProfileRole"/>.
    /// </summary>
    public string? InstanceProfileArn { get; init; }
}
