using System.Collections.Frozen;

namespace Cloister.Dns.Resolution;

/// <summary>Every VPC's view and every inbound endpoint address, built together from one model and swapped in whole.</summary>
/// <param name="Views">The views by VPC id.</param>
/// <param name="InboundAddresses">Inbound endpoint addresses and the scope they answer for.</param>
/// <param name="AccountId">The account.</param>
internal sealed record DnsViewSet(FrozenDictionary<string, ResolverView> Views, FrozenDictionary<string, ListenerScope> InboundAddresses, string AccountId)
{
    public static DnsViewSet Empty { get; } = new(FrozenDictionary<string, ResolverView>.Empty, FrozenDictionary<string, ListenerScope>.Empty, Model.AccountContext.DefaultAccountId);
}
