namespace Cloister.Templates.Evaluation;

/// <summary>The availability zones Cloister gives a region: a, b and c, as in most regions.</summary>
internal static class AvailabilityZones
{
    public static string[] Of(string region) => [region + "a", region + "b", region + "c"];

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
