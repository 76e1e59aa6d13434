using System.Diagnostics.CodeAnalysis;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Commands;

/// <summary>Finds the running sandbox and a host in it for <c>exec</c> and <c>path</c>, explaining what is missing.</summary>
internal static class SandboxLookup
{
    /// <summary>Reads the sandbox description and finds <paramref name="name"/>; writes why not to <paramref name="error"/>.</summary>
    public static bool TryFindHost(StatePaths state, string name, TextWriter error, [NotNullWhen(true)] out SandboxDescription? sandbox, [NotNullWhen(true)] out HostPlan? host)
    {
        host = null;
        sandbox = RuntimeState.ReadDescription(state.Runtime);
        if (sandbox is null)
        {
            error.WriteLine($"No sandbox is running (no {Path.Combine(state.Runtime, "sandbox.json")}); start one with 'cloister up'.");
            return false;
        }

        host = sandbox.FindHost(name);
        if (host is null)
        {
            // By logical id, as the templates and the README name them, with the Name tag where it differs.
            var known = sandbox.Hosts.Where(h => h.Kind is HostKind.Instance or HostKind.OnPremisesHost)
                .Select(h => h.Name is { } tag && tag != h.LogicalId ? $"{h.LogicalId} ({tag})" : h.LogicalId);
            error.WriteLine($"No host '{name}' in the sandbox. Hosts: {string.Join(", ", known)}");
            return false;
        }

        return true;
    }
}
