using System.Collections.Immutable;

namespace Cloister.Model.Dns;

/// <summary>A record set of a hosted zone: either values or an alias.</summary>
/// <param name="Name">The fully qualified name, with or without the final dot.</param>
/// <param name="Type">The record type, such as <c>A</c> or <c>CNAME</c>.</param>
/// <param name="Ttl">The TTL in seconds (aliases take the target's).</param>
/// <param name="Values">The record values in presentation format.</param>
/// <param name="Alias">The alias target, when it is an alias record.</param>
/// <param name="Routing">The routing policy, when the record set is one of several of its name and type (weighted, failover...); null for a simple record set.</param>
public sealed record RecordSet(string Name, string Type, uint Ttl, ImmutableArray<string> Values, AliasTarget? Alias = null, RecordRouting? Routing = null);
