namespace Cloister.Model.Dns;

/// <summary>One address of a Resolver endpoint: a Resolver network interface in a subnet.</summary>
/// <param name="SubnetId">The subnet.</param>
/// <param name="Ip">The address; null until assigned.</param>
/// <param name="NetworkInterfaceId">The <c>rni-</c> id.</param>
public sealed record ResolverIpAddress(string SubnetId, string? Ip, string NetworkInterfaceId);
