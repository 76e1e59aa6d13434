using System.Collections.Immutable;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Whose queries a listener receives: a VPC's own resolver, an inbound endpoint's address, or the link-local resolver
/// address of a router that several VPCs share (the VPC is then the one the query's source address belongs to).
/// </summary>
/// <param name="VpcId">The VPC whose view answers; empty for a link-local listener.</param>
/// <param name="InboundEndpointId">The inbound endpoint (<c>rslvr-in-</c>), when the listener is one of its addresses.</param>
/// <param name="NetworkInterfaceId">That address's <c>rni-</c>.</param>
internal sealed record ListenerScope(string VpcId, string? InboundEndpointId = null, string? NetworkInterfaceId = null)
{
    /// <summary>The VPCs a link-local listener answers for, by source address; empty for every other listener.</summary>
    public ImmutableArray<string> LinkLocalVpcIds { get; private init; } = [];

    /// <summary>A listener on the link-local resolver address answering each of <paramref name="vpcIds"/>' sources with its own VPC's view.</summary>
    public static ListenerScope LinkLocal(IEnumerable<string> vpcIds) => new(string.Empty) { LinkLocalVpcIds = [.. vpcIds] };

    public override string ToString() =>
        !LinkLocalVpcIds.IsEmpty ? $"169.254.169.253 ({string.Join(", ", LinkLocalVpcIds)})"
        : InboundEndpointId is null ? VpcId
        : $"{InboundEndpointId} ({VpcId})";
}
