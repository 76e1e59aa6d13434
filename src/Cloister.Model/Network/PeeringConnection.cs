namespace Cloister.Model.Network;

/// <summary>A VPC peering connection. It carries traffic only when accepted, and only where routes say so.</summary>
/// <param name="Id">The <c>pcx-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="RequesterVpcId">The VPC that asked.</param>
/// <param name="AccepterVpcId">The peer VPC.</param>
/// <param name="Accepted">Whether the peer accepted (same account: at once).</param>
public sealed record PeeringConnection(string Id, string LogicalId, string RequesterVpcId, string AccepterVpcId, bool Accepted = true) : IResource;
