using System.Collections.Immutable;
using Cloister.Network.Topology;

namespace Cloister.Network.Runtime;

/// <summary>
/// The running sandbox as other processes (<c>cloister exec</c>, <c>cloister path</c>) find it in
/// <c>runtime/sandbox.json</c>.
/// </summary>
/// <param name="Version">The file format version (1).</param>
/// <param name="Prefix">The namespace name prefix.</param>
/// <param name="Rootless">Whether the namespaces live in a user namespace; then <paramref name="OwnerPid"/> must be entered first.</param>
/// <param name="OwnerPid">The process that owns the sandbox.</param>
/// <param name="Region">The AWS region of the model.</param>
/// <param name="CaBundlePath">The CA bundle processes trust, when any.</param>
/// <param name="SandboxNamespace">The empty namespace the owning process lives in.</param>
/// <param name="RegionNamespace">The namespace of the region's service addresses.</param>
/// <param name="Hosts">Every host: namespace, address, host name, resolver.</param>
/// <param name="Namespaces">Every namespace the sandbox created.</param>
/// <param name="HostFilesDirectory">Where each host's resolv.conf, hosts and hostname files live, one folder per namespace.</param>
public sealed record SandboxDescription(
    int Version,
    string Prefix,
    bool Rootless,
    int OwnerPid,
    string Region,
    string? CaBundlePath,
    string SandboxNamespace,
    string RegionNamespace,
    ImmutableArray<HostPlan> Hosts,
    ImmutableArray<string> Namespaces,
    string HostFilesDirectory)
{
    /// <summary>Finds a host by logical id, id, Name tag, namespace, address or host name.</summary>
    public HostPlan? FindHost(string name) => Hosts.FirstOrDefault(h => h.IsNamedBy(name));
}
