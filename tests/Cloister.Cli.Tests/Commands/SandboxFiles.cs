using System.Text.Json;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// A running sandbox as <c>exec</c> and <c>path</c> find it (<c>runtime/sandbox.json</c>), without its namespaces: what
/// they decide before entering one can be tested without a stack.
/// </summary>
internal static class SandboxFiles
{
    private const string Prefix = "clf-missing-";

    /// <summary>A host of the description; its namespace does not exist.</summary>
    public static HostPlan Host(HostKind kind, string logicalId, string? name, string address, string? id = null, string? owner = null) =>
        new(kind, id ?? "i-" + logicalId.ToLowerInvariant(), logicalId, name, owner, Prefix + address, Prefix + "r", "eth1", address, 24, "10.0.1.1", null, null, null, [], "ip", "10.0.0.2");

    /// <summary>Writes the description of a sandbox with <paramref name="hosts"/>, and <paramref name="model"/> when given, into <paramref name="state"/>.</summary>
    public static void Write(StatePaths state, CloudModel? model, params HostPlan[] hosts)
    {
        var description = Description(hosts);
        Directory.CreateDirectory(state.Runtime);
        File.WriteAllText(Path.Combine(state.Runtime, "sandbox.json"), JsonSerializer.Serialize(description, RuntimeState.Json));
        if (model is not null)
        {
            File.WriteAllText(Path.Combine(state.Runtime, "model.json"), JsonSerializer.Serialize(model, RuntimeState.Json));
        }
    }

    /// <summary>The description of a sandbox with <paramref name="hosts"/>.</summary>
    public static SandboxDescription Description(params HostPlan[] hosts) =>
        new(1, Prefix, false, 1, "eu-central-1", null, Prefix + "s", Prefix + "rg", [.. hosts], [], "/nonexistent");
}
