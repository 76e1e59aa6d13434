using System.Collections.Immutable;
using Cloister.Model.Network;

namespace Cloister.Network.Topology;

/// <summary>An on-premises DNS server: dnsmasq in <paramref name="Namespace"/>, forwarding the given domains.</summary>
internal sealed record DnsServerPlan(string Namespace, string Address, ImmutableArray<DnsForwarder> Forwarders, ImmutableArray<KeyValuePair<string, string>> HostRecords);
