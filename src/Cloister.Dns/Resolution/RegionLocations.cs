using System.Collections.Frozen;
using Cloister.Model.Dns;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Where each AWS Region is, as geolocation routing in a private hosted zone reads it: Route 53 "responds to DNS queries
/// based on the AWS Region of the VPC that the query originated from". A Region is placed by the city that hosts it:
/// its continent, its country, and for the United States its state (the only subdivisions Route 53 has for US queries).
/// </summary>
internal static class RegionLocations
{
    private static readonly FrozenDictionary<string, GeoLocation> Locations = new Dictionary<string, GeoLocation>(StringComparer.Ordinal)
    {
        ["us-east-1"] = new("NA", "US", "VA"),
        ["us-east-2"] = new("NA", "US", "OH"),
        ["us-west-1"] = new("NA", "US", "CA"),
        ["us-west-2"] = new("NA", "US", "OR"),
        ["us-gov-east-1"] = new("NA", "US", "OH"),
        ["us-gov-west-1"] = new("NA", "US", "OR"),
        ["ca-central-1"] = new("NA", "CA", null),
        ["ca-west-1"] = new("NA", "CA", null),
        ["mx-central-1"] = new("NA", "MX", null),
        ["sa-east-1"] = new("SA", "BR", null),
        ["eu-central-1"] = new("EU", "DE", null),
        ["eu-central-2"] = new("EU", "CH", null),
        ["eu-west-1"] = new("EU", "IE", null),
        ["eu-west-2"] = new("EU", "GB", null),
        ["eu-west-3"] = new("EU", "FR", null),
        ["eu-north-1"] = new("EU", "SE", null),
        ["eu-south-1"] = new("EU", "IT", null),
        ["eu-south-2"] = new("EU", "ES", null),
        ["af-south-1"] = new("AF", "ZA", null),
        ["me-south-1"] = new("AS", "BH", null),
        ["me-central-1"] = new("AS", "AE", null),
        ["il-central-1"] = new("AS", "IL", null),
        ["ap-east-1"] = new("AS", "HK", null),
        ["ap-south-1"] = new("AS", "IN", null),
        ["ap-south-2"] = new("AS", "IN", null),
        ["ap-southeast-1"] = new("AS", "SG", null),
        ["ap-southeast-2"] = new("OC", "AU", null),
        ["ap-southeast-3"] = new("AS", "ID", null),
        ["ap-southeast-4"] = new("OC", "AU", null),
        ["ap-southeast-5"] = new("AS", "MY", null),
        ["ap-southeast-7"] = new("AS", "TH", null),
        ["ap-northeast-1"] = new("AS", "JP", null),
        ["ap-northeast-2"] = new("AS", "KR", null),
        ["ap-northeast-3"] = new("AS", "JP", null),
        ["cn-north-1"] = new("AS", "CN", null),
        ["cn-northwest-1"] = new("AS", "CN", null),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Where <paramref name="region"/> is; null for a Region not in the table (only a default record answers it).</summary>
    public static GeoLocation? Of(string region) => Locations.GetValueOrDefault(region);

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
