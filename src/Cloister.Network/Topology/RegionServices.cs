using System.Collections.Frozen;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>
/// Where the region's service endpoints live inside the sandbox: each service has a /24 in 198.18.0.0/15 (its
/// prefix list, as a gateway endpoint route sees it) and one endpoint address, <c>198.18.N.10</c>.
/// </summary>
public static class RegionServices
{
    /// <summary>The block holding every regional service address.</summary>
    public static Ipv4Cidr Block { get; } = Ipv4Cidr.Parse("198.18.0.0/15");

    // One map for the fabric and DNS: Cloister.Model.Network.RegionalServices.
    private static readonly FrozenDictionary<string, int> Index =
        RegionalServices.Names.ToFrozenDictionary(n => n, n => RegionalServices.NumberOf(n)!.Value, StringComparer.Ordinal);

    /// <summary>The short names of the services that have an address.</summary>
    public static IEnumerable<string> Names => Index.Keys;

    /// <summary>The endpoint address of a service (<c>dynamodb</c>, or <c>com.amazonaws.eu-central-1.dynamodb</c>).</summary>
    public static string? AddressOf(string service) => RegionalServices.AddressOf(service);

    /// <summary>The prefix list block of a service, as a gateway endpoint's route destination.</summary>
    public static Ipv4Cidr? PrefixOf(string service) =>
        Index.TryGetValue(ShortName(service), out var n) ? new Ipv4Cidr(Block.Base + ((uint)n << 8), 24) : null;

    /// <summary>The service whose block holds <paramref name="address"/>, when any.</summary>
    public static string? ServiceAt(uint address)
    {
        foreach (var (name, n) in Index)
        {
            if (new Ipv4Cidr(Block.Base + ((uint)n << 8), 24).Contains(address))
            {
                return name;
            }
        }

        return null;
    }

    private static string ShortName(string service) => service[(service.LastIndexOf('.') + 1)..];
}
