using Cloister.Model.Dns;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Route 53 routing policies of record sets (weighted, failover, latency, geolocation, multivalue answer): read from a
/// record set's properties, then checked across the record sets of each name and type as Route 53 checks a change batch,
/// each refusal in Route 53's words at the property it concerns.
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>The properties that each choose a routing policy; Route 53 takes exactly one of them with a SetIdentifier.</summary>
    private static readonly string[] PolicyProperties = ["Weight", "Region", "Failover", "GeoLocation", "MultiValueAnswer"];

    private static readonly HashSet<string> ContinentCodes = new(StringComparer.Ordinal) { "AF", "AN", "AS", "EU", "OC", "NA", "SA" };

    /// <summary>A record set read from a template, with where it was written, until its name and type's record sets are checked together.</summary>
    private sealed record WrittenRecordSet(PropertyReader Reader, string Path, RecordSet Set);

    /// <summary>Reads a record set's routing policy; null for a simple record set (or one whose policy was refused).</summary>
    private static RecordRouting? ReadRouting(PropertyReader r, MapNode set, string path, string name, string type, AliasTarget? alias)
    {
        var setIdentifier = r.String(set, "SetIdentifier", path + "SetIdentifier");
        var healthCheckId = r.String(set, "HealthCheckId", path + "HealthCheckId");
        if (set.Get("CidrRoutingConfig") is not null)
        {
            r.Problem(path + "CidrRoutingConfig", "IP-based routing is not supported in private hosted zones (Route 53 takes it in public zones only), and Cloister serves private zones only.");
            return null;
        }

        if (set.Get("GeoProximityLocation") is not null)
        {
            // Geoproximity in a private zone routes by the distance from the VPC's Region to each record's Region or
            // coordinates, shifted by bias; Cloister has one Region and no map to measure it on. See docs/dns.md.
            r.Problem(path + "GeoProximityLocation", "Geoproximity routing is not served by Cloister: every VPC is in one Region, so it has no distances to route by; use latency or geolocation records, whose answer for the stack's Region is defined.");
            return null;
        }

        var multiValue = r.Bool(set, "MultiValueAnswer", path + "MultiValueAnswer", false);
        var given = PolicyProperties.Where(p => p == "MultiValueAnswer" ? multiValue : set.Get(p) is not null and not ScalarNode { IsNull: true }).ToList();
        var change = $"Change with [Action=CREATE, Name={name}., Type={type}, SetIdentifier={setIdentifier ?? "null"}]";
        if (given.Count == 0)
        {
            if (setIdentifier is not null)
            {
                r.Problem(path + "SetIdentifier", $"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, or MultiValueAnswer], but found none in {change}");
            }
            else if (healthCheckId is not null)
            {
                r.Problem(path + "HealthCheckId", "In a private hosted zone, Route 53 health checks can be associated only with failover, multivalue answer, weighted, latency, geolocation and geoproximity records.");
            }

            return null;
        }

        if (given.Count > 1)
        {
            r.Problem(path + given[1], $"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, or MultiValueAnswer], but found more than one in {change}");
            return null;
        }

        if (setIdentifier is null)
        {
            r.Problem(path + given[0], $"Invalid request: Missing field 'SetIdentifier' in {change}");
            return null;
        }

        if (setIdentifier.Length is 0 or > 128)
        {
            r.Problem(path + "SetIdentifier", "must be 1 to 128 characters long.");
            return null;
        }

        switch (given[0])
        {
            case "Weight":
                var weight = r.Int(set, "Weight", path + "Weight", 0);
                if (weight is < 0 or > 255)
                {
                    r.Problem(path + "Weight", $"Invalid request: the weight {weight} of SetIdentifier {setIdentifier} is not between 0 and 255.");
                    return null;
                }

                return new RecordRouting(RoutingPolicy.Weighted, setIdentifier, Weight: weight, HealthCheckId: healthCheckId);
            case "Failover":
                var role = r.String(set, "Failover", path + "Failover");
                if (role is not ("PRIMARY" or "SECONDARY"))
                {
                    r.Problem(path + "Failover", $"'{role}' is not PRIMARY or SECONDARY.");
                    return null;
                }

                return new RecordRouting(RoutingPolicy.Failover, setIdentifier, Primary: role == "PRIMARY", HealthCheckId: healthCheckId);
            case "Region":
                return new RecordRouting(RoutingPolicy.Latency, setIdentifier, Region: r.String(set, "Region", path + "Region"), HealthCheckId: healthCheckId);
            case "GeoLocation":
                var location = ReadLocation(r, r.Map(set, "GeoLocation", path + "GeoLocation"), path + "GeoLocation");
                return location is null ? null : new RecordRouting(RoutingPolicy.Geolocation, setIdentifier, Location: location, HealthCheckId: healthCheckId);
            default:
                if (alias is not null)
                {
                    r.Problem(path + "AliasTarget", "Creating multivalue answer alias records is not supported (Route 53 takes values only in a multivalue answer record).");
                    return null;
                }

                if (type is "CNAME" or "NS")
                {
                    r.Problem(path + "Type", $"A multivalue answer record can be of any type except NS or CNAME, not {type}.");
                    return null;
                }

                return new RecordRouting(RoutingPolicy.MultiValueAnswer, setIdentifier, HealthCheckId: healthCheckId);
        }
    }

    private static GeoLocation? ReadLocation(PropertyReader r, MapNode? map, string path)
    {
        if (map is null)
        {
            return null;
        }

        var continent = r.String(map, "ContinentCode", path + ".ContinentCode");
        var country = r.String(map, "CountryCode", path + ".CountryCode");
        var subdivision = r.String(map, "SubdivisionCode", path + ".SubdivisionCode");
        if ((continent is null) == (country is null))
        {
            r.Problem(path, "Invalid request: a GeoLocation has either a ContinentCode or a CountryCode (with an optional SubdivisionCode).");
            return null;
        }

        if (continent is not null && !ContinentCodes.Contains(continent))
        {
            r.Problem(path + ".ContinentCode", $"'{continent}' is not a continent code (AF, AN, AS, EU, OC, NA, SA).");
            return null;
        }

        if (country is not null && country != "*" && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            r.Problem(path + ".CountryCode", $"'{country}' is not a two-letter ISO 3166 country code or '*'.");
            return null;
        }

        if (subdivision is not null && (country is null or "*"))
        {
            r.Problem(path + ".SubdivisionCode", "Invalid request: a SubdivisionCode needs the CountryCode of its country.");
            return null;
        }

        return new GeoLocation(continent, country, subdivision);
    }

    /// <summary>
    /// Checks the record sets of each name and type of one zone together, as Route 53 checks a change batch: one routing
    /// policy for all of them, none simple beside routed ones, a SetIdentifier once, one PRIMARY and one SECONDARY, one
    /// latency record set per Region, one geolocation record set per location, one TTL among weighted record sets.
    /// </summary>
    private static void CheckRouting(IEnumerable<WrittenRecordSet> sets)
    {
        foreach (var group in sets.GroupBy(s => (s.Set.Name, s.Set.Type)).Where(g => g.Count() > 1))
        {
            var first = group.First();
            var name = group.Key.Name + ".";
            var type = group.Key.Type;
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var later in group.Skip(1))
            {
                var (r, path, set) = later;
                var routing = set.Routing;
                var firstPolicy = first.Set.Routing?.Policy ?? RoutingPolicy.Simple;
                if (routing is null)
                {
                    r.Problem(path + "Name", firstPolicy == RoutingPolicy.Simple
                        ? $"Tried to create resource record set [name='{name}', type='{type}'] but it already exists"
                        : $"RRSet with DNS name {name} and type {type} cannot be created as a {PolicyWord(firstPolicy)} set exists with the same name and type.");
                    continue;
                }

                if (routing.Policy != firstPolicy)
                {
                    r.Problem(path + PolicyProperty(routing.Policy), MixedPolicies(name, type, routing, firstPolicy));
                    continue;
                }

                identifiers.Add(first.Set.Routing!.SetIdentifier);
                if (!identifiers.Add(routing.SetIdentifier))
                {
                    r.Problem(path + "SetIdentifier", $"Tried to create resource record set [name='{name}', type='{type}', set-identifier='{routing.SetIdentifier}'] but it already exists");
                    continue;
                }

                seen.Add(Slot(first.Set.Routing!));
                if (Slot(routing) is { Length: > 0 } slot && !seen.Add(slot))
                {
                    r.Problem(path + PolicyProperty(routing.Policy), Duplicate(name, type, routing));
                    continue;
                }

                if (routing.Policy == RoutingPolicy.Weighted && set.Alias is null && first.Set.Alias is null && set.Ttl != first.Set.Ttl)
                {
                    r.Problem(path + "TTL", $"RRSet with DNS name {name} and type {type}, SetIdentifier {routing.SetIdentifier} cannot be created as weighted sets must contain the same TTL.");
                }
            }
        }
    }

    /// <summary>What must be unique among a name and type's record sets of one policy: the failover role, the Region, the location.</summary>
    private static string Slot(RecordRouting routing) => routing.Policy switch
    {
        RoutingPolicy.Failover => routing.Primary ? "PRIMARY" : "SECONDARY",
        RoutingPolicy.Latency => routing.Region ?? string.Empty,
        RoutingPolicy.Geolocation => $"{routing.Location?.ContinentCode}/{routing.Location?.CountryCode}/{routing.Location?.SubdivisionCode}",
        _ => string.Empty,
    };

    private static string PolicyProperty(RoutingPolicy policy) => policy switch
    {
        RoutingPolicy.Weighted => "Weight",
        RoutingPolicy.Failover => "Failover",
        RoutingPolicy.Latency => "Region",
        RoutingPolicy.Geolocation => "GeoLocation",
        _ => "MultiValueAnswer",
    };

    private static string PolicyWord(RoutingPolicy policy) => policy switch
    {
        RoutingPolicy.Weighted => "weighted",
        RoutingPolicy.Failover => "failover",
        RoutingPolicy.Latency => "latency",
        RoutingPolicy.Geolocation => "geolocation",
        _ => "multivalue answer",
    };

    private static string MixedPolicies(string name, string type, RecordRouting routing, RoutingPolicy existing) => routing.Policy switch
    {
        RoutingPolicy.Weighted => $"RRSet with DNS name {name} and type {type} cannot be created as a non-weighted set exists with the same name and type.",
        RoutingPolicy.Failover => $"RRSet with DNS name {name}, type {type}, SetIdentifier {routing.SetIdentifier} marked as {(routing.Primary ? "primary" : "secondary")} cannot be created because a non-failover RRSet with the same name and type already exists.",
        _ => $"RRSet with DNS name {name}, type {type}, SetIdentifier {routing.SetIdentifier} cannot be created because a {(existing == RoutingPolicy.Simple ? "simple" : PolicyWord(existing))} RRSet with the same name and type already exists; all record sets of a name and type have one routing policy.",
    };

    private static string Duplicate(string name, string type, RecordRouting routing) => routing.Policy switch
    {
        RoutingPolicy.Failover => $"RRSet with DNS name {name}, type {type}, SetIdentifier {routing.SetIdentifier} marked as {(routing.Primary ? "primary" : "secondary")} cannot be created because another RRSet with the same name and type is already marked as {(routing.Primary ? "primary" : "secondary")}.",
        RoutingPolicy.Latency => $"RRSet with DNS name {name}, type {type}, SetIdentifier {routing.SetIdentifier}, and Region Name={routing.Region} cannot be created because a latency RRSet with the same name, type and region already exists.",
        _ => $"RRSet with DNS name {name}, type {type}, SetIdentifier {routing.SetIdentifier} cannot be created because a geolocation RRSet with the same name, type and location already exists.",
    };
}
