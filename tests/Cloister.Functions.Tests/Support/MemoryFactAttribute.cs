using Cloister.Functions.Launching;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// A fact about Lambda's <c>MemorySize</c> enforced on an environment: skipped, saying why, where the kernel's memory
/// controller is not available to Cloister (no environment cgroups, no cgroup v2 memory controller given to Cloister's
/// cgroup's children, and no writable cgroup v1 memory hierarchy).
/// </summary>
public sealed class MemoryFactAttribute : FactAttribute
{
    public MemoryFactAttribute() => Skip = EnvironmentMemory.Unavailable is { } reason ? "Memory is not limited here: " + reason : null;
}
