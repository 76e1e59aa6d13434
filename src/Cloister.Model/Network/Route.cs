namespace Cloister.Model.Network;

/// <summary>One route of a route table.</summary>
/// <param name="Destination">The destination CIDR block, or a prefix list id (<c>pl-</c>).</param>
/// <param name="Target">What kind of target.</param>
/// <param name="TargetId">The target's id; <c>local</c> for the local route.</param>
public sealed record Route(string Destination, RouteTargetKind Target, string TargetId)
{
    /// <summary>Whether the destination is a managed prefix list rather than a CIDR block.</summary>
    public bool IsPrefixListDestination => Destination.StartsWith("pl-", StringComparison.Ordinal);
}
