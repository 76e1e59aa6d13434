using System.Collections.Frozen;
using Cloister.Functions.Logging;

namespace Cloister.Functions.Environments;

/// <summary>
/// A deployed function: the execution environments of <c>$LATEST</c> and of each published version (Lambda runs every
/// version in environments of its own, with that version's configuration), and its aliases, each naming a version.
/// All of them write to the function's one log (its log group); the log stream names tell the versions apart.
/// </summary>
internal sealed class DeployedFunction(FunctionHost latest, FrozenDictionary<string, FunctionHost> versions, FrozenDictionary<string, string> aliases) : IAsyncDisposable
{
    public FunctionHost Latest { get; } = latest;

    public FunctionLogWriter Log => Latest.Log;

    /// <summary><c>$LATEST</c>'s environments and every version's.</summary>
    public IEnumerable<FunctionHost> Hosts => versions.Values.Prepend(Latest);

    /// <summary>Process ids of every live environment of every version.</summary>
    public IReadOnlyList<int> ProcessIds => [.. Hosts.SelectMany(h => h.ProcessIds)];

    /// <summary>
    /// The environments an invocation with <paramref name="qualifier"/> runs in: <c>$LATEST</c>'s without one, a
    /// version's by its number, an alias's version's by its name; null when the function has no such alias or version.
    /// </summary>
    public FunctionHost? Resolve(string? qualifier)
    {
        if (qualifier is null or FunctionDefinition.Latest)
        {
            return Latest;
        }

        if (versions.TryGetValue(qualifier, out var version))
        {
            return version;
        }

        return aliases.TryGetValue(qualifier, out var target) ? Resolve(target) : null;
    }

    public async ValueTask DisposeAsync() => await Task.WhenAll(Hosts.Select(h => h.DisposeAsync().AsTask())).ConfigureAwait(false);
}
