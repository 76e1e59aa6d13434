using System.Collections.Immutable;

namespace Cloister.Functions.Runtimes;

/// <summary>How to start a runtime: the executable, its arguments, and variables the runtime itself adds.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Runtime-specific variables (<c>AWS_EXECUTION_ENV</c>, <c>NODE_PATH</c>...).</param>
/// <param name="IsBootstrap">A custom runtime's <c>bootstrap</c>, looked for at each init as Lambda looks for it (the
/// code's, else a layer's <c>/opt/bootstrap</c>) rather than started as <paramref name="FileName"/> says.</param>
internal sealed record LaunchCommand(string FileName, ImmutableArray<string> Arguments, ImmutableDictionary<string, string> Environment, bool IsBootstrap = false);
