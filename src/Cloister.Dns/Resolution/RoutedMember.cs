using System.Collections.Immutable;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>One record set of a name and type under a routing policy, compiled: its records and what choosing it depends on.</summary>
/// <param name="SetIdentifier">The record set's SetIdentifier, for reports.</param>
/// <param name="Records">The records it answers with (an alias's target records, named as the target).</param>
/// <param name="Weight">A weighted record set's weight.</param>
/// <param name="Healthy">Whether Route 53 would count it healthy now: no health to evaluate, or its alias target is healthy.</param>
internal sealed record RoutedMember(string SetIdentifier, ImmutableArray<DnsResourceRecord> Records, int Weight, bool Healthy);
