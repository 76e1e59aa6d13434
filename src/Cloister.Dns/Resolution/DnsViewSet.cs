using System.Collections.Frozen;

namespace Cloister.Dns.Resolution;

/// <summary>Every VPC's view and every inbound endpoint address, built together from one model and swapped in whole.</summary>
/// <param name="Views">The views by VPC id.</param>
/// <param name="InboundAddresses">Inbound endpoint addresses (by VPC) and the scope they answer for.</param>
/// <param name="AccountId">The account.</param>
internal sealed record DnsViewSet(FrozenDictionary<string, ResolverView> Views, FrozenDictionary<InboundEndpointAddress, ListenerScope> InboundAddresses, string AccountId)
{
    /// <summary>
    /// The views that answer queries through a VPC's inbound endpoints where they differ from its own resolver's: those of
    /// VPCs with an interface endpoint whose private DNS is only for inbound Resolver endpoints.
    /// </summary>
    public FrozenDictionary<string, ResolverView> InboundViews { get; init; } = FrozenDictionary<string, ResolverView>.Empty;

    public static DnsViewSet Empty { get; } = new(FrozenDictionary<string, ResolverView>.Empty, FrozenDictionary<InboundEndpointAddress, ListenerScope>.Empty, Model.AccountContext.DefaultAccountId);
}
