using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>An elastic network interface: an address in a subnet with security groups.</summary>
/// <param name="Id">The <c>eni-</c> id.</param>
/// <param name="SubnetId">Its subnet.</param>
/// <param name="PrivateIpAddress">Its primary private IPv4 address.</param>
/// <param name="SecurityGroupIds">Its security groups.</param>
/// <param name="Description">What it belongs to, as AWS describes it (e.g. <c>VPC Endpoint Interface vpce-...</c>).</param>
public sealed record NetworkInterface(string Id, string SubnetId, string PrivateIpAddress, ImmutableArray<string> SecurityGroupIds, string Description);
