using System.Collections.Immutable;

namespace Cloister.Functions.Launching;

/// <summary>A process to start: what to run, where, with which environment (exactly this one, nothing inherited).</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="WorkingDirectory">The working directory (the function's task root).</param>
/// <param name="Environment">The complete environment.</param>
/// <param name="Placement">Where it runs.</param>
public sealed record ProcessLaunchSpec(
    string FileName,
    ImmutableArray<string> Arguments,
    string WorkingDirectory,
    ImmutableDictionary<string, string> Environment,
    ProcessPlacement Placement);
