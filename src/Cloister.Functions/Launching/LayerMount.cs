using System.Collections.Immutable;

namespace Cloister.Functions.Launching;

/// <summary>
/// Shows an execution environment its layers at <c>/opt</c> without touching the host's: the process starts through
/// <c>unshare --mount --propagation private</c> (a mount namespace of its own, whose mounts never propagate back),
/// binds the prepared layer folder read-only over <c>/opt</c> there, then execs the runtime, which keeps its process
/// id, session and cgroup. Needs <c>CAP_SYS_ADMIN</c>, as Cloister's other namespaces do.
/// </summary>
internal static class LayerMount
{
    // $0 is the layer folder; the runtime's command line follows. Exec, so the runtime is the process Cloister started.
    private const string Script = "\"$MOUNT\" --bind -o ro -- \"$0\" /opt && exec \"$@\"";

    /// <summary>The command that starts <paramref name="fileName"/> with <paramref name="arguments"/> seeing <paramref name="layerRoot"/> as <c>/opt</c>.</summary>
    public static (string FileName, ImmutableArray<string> Arguments) Wrap(string fileName, ImmutableArray<string> arguments, string layerRoot) =>
        (Tool("unshare"), ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script.Replace("$MOUNT", Tool("mount"), StringComparison.Ordinal), layerRoot, fileName, .. arguments]);

    // Found on Cloister's own PATH, not the function's (which the function may set).
    private static string Tool(string name) =>
        Shared.Processes.ExecutableSearch.Find(name, Environment.GetEnvironmentVariable("PATH")) ?? "/usr/bin/" + name;
}
