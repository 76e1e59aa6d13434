namespace Cloister.Model.Network;

/// <summary>A subnet of a VPC, in one availability zone.</summary>
/// <param name="Id">The <c>subnet-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="VpcId">The VPC it belongs to.</param>
/// <param name="CidrBlock">Its IPv4 CIDR block, inside the VPC's.</param>
/// <param name="AvailabilityZone">Its zone, such as <c>eu-central-1a</c>.</param>
/// <param name="Name">The Name tag, if any.</param>
public sealed record Subnet(string Id, string LogicalId, string VpcId, string CidrBlock, string AvailabilityZone, string? Name = null) : IResource
{
    /// <summary>Its <c>PrivateDnsNameOptionsOnLaunch</c>: the host name options of instances launched into it without their own.</summary>
    public PrivateDnsNameOptions PrivateDnsNameOptionsOnLaunch { get; init; } = PrivateDnsNameOptions.Default;
}
