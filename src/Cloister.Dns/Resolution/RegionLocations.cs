using System.Collections.Frozen;
using Cloister.Model.Dns;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Where each AWS Region is, as geolocation routing in a private hosted zone reads it: Route 53 "responds to DNS queries
/// based on the AWS Region of the VPC that the query originated from". A Region is placed by the city that hosts it:
/// its continent, its country, and for the United States its state (the only subdivisions Route 53 has for US queries),
/// and by the city's coordinates, for latency routing's "closest in distance". A Region the table does not know is placed
/// on the continent its prefix names (<c>eu-</c> Europe, <c>ap-</c> Asia...), with no coordinates.
/// </summary>
internal static class RegionLocations
{
    private sealed record Place(GeoLocation Location, double Latitude, double Longitude);

    private static readonly FrozenDictionary<string, Place> Places = new Dictionary<string, Place>(StringComparer.Ordinal)
    {
        ["us-east-1"] = new(new("NA", "US", "VA"), 39.0, -77.5),          // Northern Virginia
        ["us-east-2"] = new(new("NA", "US", "OH"), 40.0, -83.0),          // Ohio
        ["us-west-1"] = new(new("NA", "US", "CA"), 37.8, -122.4),         // Northern California
        ["us-west-2"] = new(new("NA", "US", "OR"), 45.8, -119.7),         // Oregon
        ["us-gov-east-1"] = new(new("NA", "US", "OH"), 40.0, -83.0),
        ["us-gov-west-1"] = new(new("NA", "US", "OR"), 45.8, -119.7),
        ["ca-central-1"] = new(new("NA", "CA", null), 45.5, -73.6),       // Montreal
        ["ca-west-1"] = new(new("NA", "CA", null), 51.0, -114.1),         // Calgary
        ["mx-central-1"] = new(new("NA", "MX", null), 20.6, -100.4),      // Querétaro
        ["sa-east-1"] = new(new("SA", "BR", null), -23.5, -46.6),         // São Paulo
        ["eu-central-1"] = new(new("EU", "DE", null), 50.1, 8.7),         // Frankfurt
        ["eu-central-2"] = new(new("EU", "CH", null), 47.4, 8.5),         // Zurich
        ["eu-west-1"] = new(new("EU", "IE", null), 53.3, -6.3),           // Dublin
        ["eu-west-2"] = new(new("EU", "GB", null), 51.5, -0.1),           // London
        ["eu-west-3"] = new(new("EU", "FR", null), 48.9, 2.4),            // Paris
        ["eu-north-1"] = new(new("EU", "SE", null), 59.3, 18.1),          // Stockholm
        ["eu-south-1"] = new(new("EU", "IT", null), 45.5, 9.2),           // Milan
        ["eu-south-2"] = new(new("EU", "ES", null), 41.7, -0.9),          // Aragón
        ["eusc-de-east-1"] = new(new("EU", "DE", null), 52.4, 13.1),      // Brandenburg (European Sovereign Cloud)
        ["af-south-1"] = new(new("AF", "ZA", null), -33.9, 18.4),         // Cape Town
        ["me-south-1"] = new(new("AS", "BH", null), 26.1, 50.6),          // Bahrain
        ["me-central-1"] = new(new("AS", "AE", null), 24.5, 54.4),        // UAE
        ["il-central-1"] = new(new("AS", "IL", null), 32.1, 34.8),        // Tel Aviv
        ["ap-east-1"] = new(new("AS", "HK", null), 22.3, 114.2),          // Hong Kong
        ["ap-east-2"] = new(new("AS", "TW", null), 25.0, 121.5),          // Taipei
        ["ap-south-1"] = new(new("AS", "IN", null), 19.1, 72.9),          // Mumbai
        ["ap-south-2"] = new(new("AS", "IN", null), 17.4, 78.5),          // Hyderabad
        ["ap-southeast-1"] = new(new("AS", "SG", null), 1.35, 103.8),     // Singapore
        ["ap-southeast-2"] = new(new("OC", "AU", null), -33.9, 151.2),    // Sydney
        ["ap-southeast-3"] = new(new("AS", "ID", null), -6.2, 106.8),     // Jakarta
        ["ap-southeast-4"] = new(new("OC", "AU", null), -37.8, 145.0),    // Melbourne
        ["ap-southeast-5"] = new(new("AS", "MY", null), 3.1, 101.7),      // Malaysia
        ["ap-southeast-6"] = new(new("OC", "NZ", null), -36.8, 174.8),    // New Zealand
        ["ap-southeast-7"] = new(new("AS", "TH", null), 13.8, 100.5),     // Thailand
        ["ap-northeast-1"] = new(new("AS", "JP", null), 35.7, 139.7),     // Tokyo
        ["ap-northeast-2"] = new(new("AS", "KR", null), 37.6, 127.0),     // Seoul
        ["ap-northeast-3"] = new(new("AS", "JP", null), 34.7, 135.5),     // Osaka
        ["cn-north-1"] = new(new("AS", "CN", null), 39.9, 116.4),         // Beijing
        ["cn-northwest-1"] = new(new("AS", "CN", null), 37.5, 105.2),     // Ningxia
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The continent of a Region the table does not know, by the first part of its name.</summary>
    private static readonly FrozenDictionary<string, string> ContinentsByPrefix = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["us"] = "NA",
        ["ca"] = "NA",
        ["mx"] = "NA",
        ["sa"] = "SA",
        ["eu"] = "EU",
        ["eusc"] = "EU",
        ["af"] = "AF",
        ["me"] = "AS",
        ["il"] = "AS",
        ["ap"] = "AS",
        ["cn"] = "AS",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Where <paramref name="region"/> is; for a Region not in the table, the continent its prefix names (no country, so
    /// continent and default records answer it); null when the prefix names none either (only a default record answers).
    /// </summary>
    public static GeoLocation? Of(string region) =>
        Places.TryGetValue(region, out var place) ? place.Location
        : ContinentsByPrefix.TryGetValue(Prefix(region), out var continent) ? new GeoLocation(continent, null, null)
        : null;

    /// <summary>The great-circle distance in km between two Regions' cities, or null when either is not in the table.</summary>
    public static double? Distance(string from, string to)
    {
        if (!Places.TryGetValue(from, out var a) || !Places.TryGetValue(to, out var b))
        {
            return null;
        }

        const double EarthRadiusKm = 6371;
        var lat1 = double.DegreesToRadians(a.Latitude);
        var lat2 = double.DegreesToRadians(b.Latitude);
        var dLat = lat2 - lat1;
        var dLon = double.DegreesToRadians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The first part of a Region's name: <c>eu</c> for <c>eu-central-1</c>.</summary>
    public static string Prefix(string region)
    {
        var dash = region.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? region : region[..dash];
    }

    /// <summary>
    /// How closely <paramref name="location"/> covers <paramref name="region"/>: 3 for its state, 2 its country, 1 its
    /// continent, 0 the default location, -1 not at all. The most specific location answers, as Route 53 routes.
    /// </summary>
    public static int Match(GeoLocation location, GeoLocation? region)
    {
        if (location.IsDefault)
        {
            return 0;
        }

        if (region is null)
        {
            return -1;
        }

        if (location.ContinentCode is not null)
        {
            return location.ContinentCode == region.ContinentCode ? 1 : -1;
        }

        if (location.CountryCode != region.CountryCode)
        {
            return -1;
        }

        return location.SubdivisionCode is null ? 2 : location.SubdivisionCode == region.SubdivisionCode ? 3 : -1;
    }
}
