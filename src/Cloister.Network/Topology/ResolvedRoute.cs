using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Network.Topology;

/// <summary>A route of a subnet's route table with its destination expanded to one block.</summary>
/// <param name="Destination">The destination block (a prefix list destination yields one route per entry).</param>
/// <param name="Kind">The target kind.</param>
/// <param name="TargetId">The target (pcx-, vpce-, vgw-, nat-... id).</param>
/// <param name="RouteTableId">The route table the route belongs to.</param>
/// <param name="DestinationText">The destination as written (a CIDR block or a prefix list id).</param>
internal sealed record ResolvedRoute(Ipv4Cidr Destination, RouteTargetKind Kind, string TargetId, string RouteTableId, string DestinationText)
{
    /// <summary>Whether the route came from a prefix list destination rather than a CIDR block.</summary>
    public bool IsPrefixListRoute => DestinationText.StartsWith("pl-", StringComparison.Ordinal);
}
