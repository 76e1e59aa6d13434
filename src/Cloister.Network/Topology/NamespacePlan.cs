using System.Collections.Immutable;

namespace Cloister.Network.Topology;

/// <summary>
/// How one namespace is configured: sysctl values, <c>ip -batch</c> lines (links are already in place) and the
/// nftables table (null for none). Rendering is pure so that a live change re-renders and applies only what differs.
/// </summary>
internal sealed record NamespacePlan(string Name, NamespaceRole Role, ImmutableArray<KeyValuePair<string, string>> Sysctls, ImmutableArray<string> IpCommands, string? Nftables);
