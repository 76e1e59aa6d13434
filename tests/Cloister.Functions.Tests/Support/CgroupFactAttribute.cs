using Cloister.Functions.Launching;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// A fact about what an environment's cgroup does: skipped, saying why, where the machine gives Cloister no writable
/// cgroup v2 hierarchy with <c>cgroup.kill</c> (rootless mode, most containers, kernels before 5.14).
/// </summary>
public sealed class CgroupFactAttribute : FactAttribute
{
    /// <summary>Why a cgroup test cannot run here; null when it can.</summary>
    internal static readonly string? SkipReason = EnvironmentCgroup.IsSupported
        ? null
        : "No writable cgroup v2 hierarchy with cgroup.kill here: environments fall back to the process tree's kill.";

    public CgroupFactAttribute() => Skip = SkipReason;
}
