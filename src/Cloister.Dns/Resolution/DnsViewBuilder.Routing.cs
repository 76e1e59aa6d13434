using Cloister.Dns.Wire;
using Cloister.Model.Dns;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Route 53 routing policies of a private hosted zone's record sets. Failover, latency and geolocation answers depend
/// only on health and on the VPC's Region, which every view knows when it is built (the views are rebuilt when a load
/// balancer's health changes), so their record set is chosen here and served as a simple one. Weighted and multivalue
/// answers are drawn per query (<see cref="RoutedRecordSets"/>).
/// </summary>
internal sealed partial class DnsViewBuilder
{
    /// <summary>A record set with a routing policy, as read from the zone.</summary>
    private sealed record RoutedSet(RecordSet Set, string Name, DnsRecordType Type, string Where)
    {
        public RecordRouting Routing => Set.Routing!;
    }

    /// <summary>
    /// Compiles the zone's routed record sets: the chosen failover, latency and geolocation record sets' records go into
    /// <paramref name="plain"/>; weighted and multivalue ones come back by (lower-case name, type).
    /// </summary>
    private Dictionary<(string Name, DnsRecordType Type), RoutedRecordSets> CompileRouting(
        List<RoutedSet> routed,
        List<DnsResourceRecord> plain,
        Dictionary<string, string> aliasTargets,
        PublicNames publicNames)
    {
        var dynamic = new Dictionary<(string Name, DnsRecordType Type), RoutedRecordSets>();
        foreach (var group in routed.GroupBy(r => (Name: r.Name.ToLowerInvariant(), r.Type)))
        {
            var sets = group.ToList();
            var members = sets.Select(s => Member(s, plain, aliasTargets, publicNames)).ToList();
            switch (sets[0].Routing.Policy)
            {
                case RoutingPolicy.Weighted:
                    dynamic[group.Key] = new RoutedRecordSets(group.Key.Type, [.. members], weighted: true);
                    break;
                case RoutingPolicy.MultiValueAnswer:
                    dynamic[group.Key] = new RoutedRecordSets(group.Key.Type, [.. members], weighted: false);
                    break;
                case var policy:
                    var chosen = policy switch
                    {
                        RoutingPolicy.Failover => Failover(sets, members),
                        RoutingPolicy.Latency => Latency(sets, members),
                        _ => Geolocation(sets, members),
                    };
                    plain.AddRange(chosen?.Records ?? []);
                    break;
            }
        }

        return dynamic;
    }

    private RoutedMember Member(RoutedSet set, List<DnsResourceRecord> plain, Dictionary<string, string> aliasTargets, PublicNames publicNames)
    {
        if (set.Routing.HealthCheckId is { } healthCheck)
        {
            // Route 53 health checkers reach only public addresses; a private zone's records are checked through CloudWatch
            // alarms, which the sandbox does not raise. See docs/dns.md.
            _skip(set.Where, $"health check {healthCheck} is not evaluated in the sandbox; the record set counts as healthy");
        }

        if (set.Set.Alias is not { } alias)
        {
            return new RoutedMember(set.Routing.SetIdentifier, [.. Values(set.Set, set.Name, set.Type, set.Where)], set.Routing.Weight, Healthy: true);
        }

        var target = DnsName.Normalize(alias.DnsName);
        var records = AliasTargetRecords(set.Name, target, set.Type, plain, aliasTargets, publicNames);
        if (records.Count == 0)
        {
            _skip(set.Where, $"alias target {alias.DnsName} has no {set.Type} records in the sandbox");
        }

        // EvaluateTargetHealth: a load balancer is healthy while it has a healthy target; any other target while it answers.
        var healthy = !alias.EvaluateTargetHealth || (records.Count > 0 && !_unhealthyNames.Contains(WithoutDualstack(target)));
        return new RoutedMember(set.Routing.SetIdentifier, [.. records.Select(r => r.WithName(set.Name))], set.Routing.Weight, healthy);
    }

    private static string WithoutDualstack(string name) =>
        name.StartsWith("dualstack.", StringComparison.OrdinalIgnoreCase) ? name["dualstack.".Length..] : name;

    /// <summary>The PRIMARY record set while it is healthy, else a healthy SECONDARY; with neither healthy, the PRIMARY (Route 53 then counts both healthy).</summary>
    private static RoutedMember? Failover(List<RoutedSet> sets, List<RoutedMember> members)
    {
        var primary = members.Where((_, i) => sets[i].Routing.Primary).FirstOrDefault();
        var secondary = members.Where((_, i) => !sets[i].Routing.Primary).FirstOrDefault();
        return primary is { Healthy: true } ? primary : secondary is { Healthy: true } ? secondary : primary ?? secondary;
    }

    /// <summary>
    /// The healthy record set of the VPC's Region; without one, the nearest: Route 53 answers "with an endpoint that is in
    /// the same AWS Region, or is closest in distance". Cloister measures the distance between the Regions' cities
    /// (<see cref="RegionLocations.Distance"/>); a Region either side does not know ranks after every measured one, those of
    /// the same prefix (<c>eu-</c>, <c>us-</c>...) first; ties keep the template's order.
    /// </summary>
    private RoutedMember? Latency(List<RoutedSet> sets, List<RoutedMember> members)
    {
        var prefix = RegionLocations.Prefix(_region);
        var ranked = members.Select((m, i) => (Member: m, Rank: LatencyRank(sets[i].Routing.Region, prefix)))
            .OrderBy(p => p.Rank)
            .Select(p => p.Member)
            .ToList();
        return ranked.FirstOrDefault(m => m.Healthy) ?? ranked.FirstOrDefault();
    }

    /// <summary>How far a latency record set of <paramref name="region"/> is from the VPC's Region: 0 for the same, else km.</summary>
    private double LatencyRank(string? region, string prefix)
    {
        const double Unmeasured = 1e6;
        return region is null ? 2 * Unmeasured
            : region == _region ? 0
            : RegionLocations.Distance(_region, region) is { } km ? 1 + km
            : RegionLocations.Prefix(region) == prefix ? Unmeasured : 2 * Unmeasured;
    }

    /// <summary>
    /// The most specific location covering the VPC's Region (its US state, its country, its continent, the default) whose
    /// record set is healthy; with none healthy, the most specific. None covering it: no record (NODATA), as Route 53
    /// answers a query from a location it has no record for.
    /// </summary>
    private RoutedMember? Geolocation(List<RoutedSet> sets, List<RoutedMember> members)
    {
        var here = RegionLocations.Of(_region);
        var ranked = members.Select((m, i) => (Member: m, Score: RegionLocations.Match(sets[i].Routing.Location!, here)))
            .Where(p => p.Score >= 0)
            .OrderByDescending(p => p.Score)
            .Select(p => p.Member)
            .ToList();
        return ranked.FirstOrDefault(m => m.Healthy) ?? ranked.FirstOrDefault();
    }
}
