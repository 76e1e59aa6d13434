namespace Cloister.Dns.Resolution;

/// <summary>Whose queries a listener receives: a VPC's own resolver, or an inbound endpoint's address.</summary>
/// <param name="VpcId">The VPC whose view answers.</param>
/// <param name="InboundEndpointId">The inbound endpoint (<c>rslvr-in-</c>), when the listener is one of its addresses.</param>
/// <param name="NetworkInterfaceId">That address's <c>rni-</c>.</param>
internal sealed record ListenerScope(string VpcId, string? InboundEndpointId = null, string? NetworkInterfaceId = null)
{
    public override string ToString() => InboundEndpointId is null ? VpcId : $"{InboundEndpointId} ({VpcId})";
}
