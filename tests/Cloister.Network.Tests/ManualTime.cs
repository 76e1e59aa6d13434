namespace Cloister.Network.Tests;

/// <summary>A clock the test sets.</summary>
internal sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
