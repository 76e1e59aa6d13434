namespace Cloister.Tables.Tests;

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
