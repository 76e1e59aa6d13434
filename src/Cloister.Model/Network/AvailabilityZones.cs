using System.Collections.Frozen;

namespace Cloister.Model.Network;

/// <summary>
/// The availability zones Cloister gives a region, in alphabetical order as <c>Fn::GetAZs</c> lists them: the zones an
/// account created today sees (EC2's <c>DescribeAvailabilityZones</c>). Most regions have a, b and c; the regions below
/// differ, and a region not listed gets a, b and c ("each Region has at least three Availability Zones"). One list for
/// templates (<c>Fn::GetAZs</c>, subnets) and the network (where a host outside any subnet is placed).
/// </summary>
public static class AvailabilityZones
{
    private static readonly FrozenDictionary<string, string> Letters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["us-east-1"] = "abcdef",
        ["us-west-1"] = "bc",
        ["us-west-2"] = "abcd",
        ["ap-northeast-1"] = "acd",
        ["ap-northeast-2"] = "abcd",
        ["ca-central-1"] = "abd",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The Region's zone names, in alphabetical order.</summary>
    public static string[] Of(string region) =>
        [.. Letters.GetValueOrDefault(region, "abc").Select(letter => region + letter)];

    /// <summary>The zone id (<c>euc1-az1</c>-style) for a zone name; the short region code is made from its parts.</summary>
    public static string IdOf(string zone)
    {
        if (zone.Length < 2)
        {
            return zone;
        }

        var region = zone[..^1];
        var parts = region.Split('-');
        var code = parts.Length == 3 && parts[1].Length > 0 ? $"{parts[0]}{ShortDirection(parts[1])}{parts[2]}" : region;

        return $"{code}-az{zone[^1] - 'a' + 1}";
    }

    private static string ShortDirection(string direction) => direction switch
    {
        "central" => "c",
        "north" => "n",
        "south" => "s",
        "east" => "e",
        "west" => "w",
        "northeast" => "ne",
        "northwest" => "nw",
        "southeast" => "se",
        "southwest" => "sw",
        _ => direction[..1],
    };
}
