using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A corporate network outside AWS, linked to VPCs by a VPN or Direct Connect.</summary>
/// <param name="Id">A stable id for the network.</param>
/// <param name="LogicalId">The on-premises file's logical id.</param>
/// <param name="CidrBlock">The corporate CIDR block.</param>
/// <param name="LinkedVpcIds">The VPCs it has a link to.</param>
/// <param name="Hosts">Its hosts.</param>
/// <param name="DnsServerAddress">The address of its own DNS server.</param>
/// <param name="DnsForwarders">The server's conditional forwards.</param>
/// <param name="PropagateRoutes">
/// Whether the link propagates the corporate block into every route table of the linked VPCs (as virtual private
/// gateway route propagation does), so the AWS template needs no VPN routes; false to rely on explicit routes only.
/// </param>
public sealed record OnPremisesNetwork(string Id, string LogicalId, string CidrBlock, ImmutableArray<string> LinkedVpcIds, ImmutableArray<OnPremisesHost> Hosts, string? DnsServerAddress, ImmutableArray<DnsForwarder> DnsForwarders, bool PropagateRoutes = true) : IResource;
