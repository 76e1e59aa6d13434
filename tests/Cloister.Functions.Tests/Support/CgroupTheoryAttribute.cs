namespace Cloister.Functions.Tests.Support;

/// <summary>A theory about what an environment's cgroup does: skipped where <see cref="CgroupFactAttribute"/> is.</summary>
public sealed class CgroupTheoryAttribute : TheoryAttribute
{
    public CgroupTheoryAttribute() => Skip = CgroupFactAttribute.SkipReason;
}
