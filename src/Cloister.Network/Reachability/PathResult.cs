using System.Collections.Immutable;

namespace Cloister.Network.Reachability;

/// <summary>The outcome of a reachability analysis, shaped like VPC Reachability Analyzer's.</summary>
/// <param name="NetworkPathFound">Whether a path exists.</param>
/// <param name="Source">The source host's id.</param>
/// <param name="SourceAddress">The source address.</param>
/// <param name="Destination">The destination as asked.</param>
/// <param name="DestinationAddress">The destination address.</param>
/// <param name="Protocol">"tcp" or "udp".</param>
/// <param name="Port">The destination port.</param>
/// <param name="ForwardPathComponents">The hops from source to destination, when a path exists (or up to the block).</param>
/// <param name="ReturnPathComponents">The hops of the return path, when a path exists.</param>
/// <param name="Explanations">Why no path exists (empty when one does).</param>
public sealed record PathResult(
    bool NetworkPathFound,
    string Source,
    string SourceAddress,
    string Destination,
    string DestinationAddress,
    string Protocol,
    int Port,
    ImmutableArray<PathComponent> ForwardPathComponents,
    ImmutableArray<PathComponent> ReturnPathComponents,
    ImmutableArray<PathExplanation> Explanations);
