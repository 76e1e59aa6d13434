using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// One route of a subnet's routing table in a VPC router: a destination and either a type (<c>throw</c>: fall through
/// to the main table, which holds the router's hosts; <c>blackhole</c>; <c>unreachable</c>) or a next hop. A gateway
/// endpoint's prefix-list route names its endpoint, so that a regional service can tell which endpoint a connection
/// came through from the very routes the kernel was given (<see cref="RegionOrigins"/>).
/// </summary>
internal sealed record TableRoute(Ipv4Cidr Destination, string? Type, string NextHop = "", string? GatewayEndpointId = null)
{
    public const string Throw = "throw";

    public static TableRoute FallThrough(Ipv4Cidr destination) => new(destination, Throw);

    public static TableRoute Blackhole(Ipv4Cidr destination) => new(destination, "blackhole");

    public static TableRoute Via(Ipv4Cidr destination, string nextHop) => new(destination, null, nextHop);

    public string Command(string table) =>
        $"route replace {(Type is null ? string.Empty : Type + " ")}{Destination}{NextHop} table {table}";

    /// <summary>
    /// The route a table picks for an address, as the kernel does: the longest prefix containing it, the last one
    /// written among equal prefixes (every route is written with <c>replace</c>). Null when none contains it.
    /// </summary>
    public static TableRoute? Match(IReadOnlyList<TableRoute> table, uint address)
    {
        TableRoute? best = null;
        foreach (var route in table)
        {
            if (route.Destination.Contains(address) && (best is null || route.Destination.PrefixLength >= best.Destination.PrefixLength))
            {
                best = route;
            }
        }

        return best;
    }
}
