using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Functions.Logging;
using Cloister.Model.Compute;

namespace Cloister.Functions.Environments;

/// <summary>
/// A deployed function: the execution environments of <c>$LATEST</c> and of each published version (Lambda runs every
/// version in environments of its own, with that version's configuration), and its aliases, each naming a version, a
/// weighted alias two. All of them write to the function's one log (its log group); the log stream names tell the
/// versions apart.
/// </summary>
/// <param name="latest">The environments of <c>$LATEST</c>.</param>
/// <param name="versions">The environments of each published version, by number.</param>
/// <param name="aliases">The aliases by name.</param>
/// <param name="sample">A uniform number in [0, 1) per invocation through a weighted alias.</param>
/// <param name="unreservedProvisioned">The provisioned concurrency the function took out of the unreserved pool (none
/// with reserved concurrency, whose pool it is carved out of), given back when the function goes.</param>
/// <param name="model">The function as deployed, with its versions and aliases (what GetFunction and ListFunctions describe).</param>
/// <param name="lastModified">When it was deployed (its configuration's <c>LastModified</c>).</param>
/// <remarks>
/// Its tags start as the model's and change with TagResource and UntagResource, each change swapping the whole set
/// (<see cref="TryChangeTags"/>); a redeploy is a new deployed function, with the template's tags again.
/// </remarks>
internal sealed class DeployedFunction(
    FunctionHost latest,
    FrozenDictionary<string, FunctionHost> versions,
    FrozenDictionary<string, FunctionAlias> aliases,
    Func<double> sample,
    int unreservedProvisioned,
    LambdaFunction model,
    DateTimeOffset lastModified) : IAsyncDisposable
{
    public FunctionHost Latest { get; } = latest;

    public LambdaFunction Model { get; } = model;

    public DateTimeOffset LastModified { get; } = lastModified;

    private ImmutableDictionary<string, string> _tags = model.Tags;

    /// <summary>Its tags now (what ListTags and GetFunction show).</summary>
    public ImmutableDictionary<string, string> Tags => Volatile.Read(ref _tags);

    /// <summary>
    /// Makes <paramref name="changed"/> its tags if they are still <paramref name="read"/>; false when another change came
    /// first (read them again and redo the change).
    /// </summary>
    public bool TryChangeTags(ImmutableDictionary<string, string> read, ImmutableDictionary<string, string> changed) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _tags, changed, read), read);

    public FunctionLogWriter Log => Latest.Log;

    public int UnreservedProvisioned { get; } = unreservedProvisioned;

    /// <summary><c>$LATEST</c>'s environments and every version's.</summary>
    public IEnumerable<FunctionHost> Hosts => versions.Values.Prepend(Latest);

    /// <summary>The invocations of every version in flight (<see cref="FunctionHost.ConcurrentExecutions"/>).</summary>
    public int ConcurrentExecutions => Hosts.Sum(h => h.ConcurrentExecutions);

    /// <summary>Process ids of every live environment of every version.</summary>
    public IReadOnlyList<int> ProcessIds => [.. Hosts.SelectMany(h => h.ProcessIds)];

    /// <summary>
    /// The environments an invocation with <paramref name="qualifier"/> runs in: <c>$LATEST</c>'s without one, a
    /// version's by its number, an alias's version's by its name; null when the function has no such alias or version.
    /// A weighted alias picks for each invocation: its additional version with that version's weight, else its own, as
    /// Lambda's "simple probabilistic model" does.
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

        if (!aliases.TryGetValue(qualifier, out var alias))
        {
            return null;
        }

        var target = alias.AdditionalVersion is { } additional && sample() < additional.FunctionWeight
            ? additional.FunctionVersion
            : alias.FunctionVersion;
        return target == FunctionDefinition.Latest ? Latest : versions.GetValueOrDefault(target);
    }

    /// <summary>
    /// The version <paramref name="qualifier"/> names, as GetFunction describes it: <c>$LATEST</c> without one, a version
    /// by its number, an alias's own version (a weighted alias's main one); null when the function has no such alias or version.
    /// </summary>
    public FunctionVersion? Describe(string? qualifier)
    {
        var version = qualifier is not null && aliases.TryGetValue(qualifier, out var alias) ? alias.FunctionVersion : qualifier ?? FunctionDefinition.Latest;
        return version == FunctionDefinition.Latest
            ? new FunctionVersion(Model.LogicalId, FunctionDefinition.Latest, null, Model)
            : Model.Versions.FirstOrDefault(v => v.Version == version);
    }

    /// <summary>
    /// Hands every version over to <paramref name="successor"/>'s version of the same number (<see cref="FunctionHost.DrainAsync"/>);
    /// completes when the last of this deployment's environments is gone.
    /// </summary>
    public Task DrainAsync(DeployedFunction successor) =>
        Task.WhenAll(Hosts.Select(h => h.DrainAsync(h == Latest ? successor.Latest : successor.Resolve(h.Function.Version))));

    public async ValueTask DisposeAsync() => await Task.WhenAll(Hosts.Select(h => h.DisposeAsync().AsTask())).ConfigureAwait(false);
}
