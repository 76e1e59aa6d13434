namespace Cloister.Tables.Tests;

/// <summary>
/// A clock that says the time it was last set to (at first the real time, to the millisecond, the precision DynamoDB's
/// timestamps carry), for tests that need distinct times without waiting.
/// </summary>
internal sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public override DateTimeOffset GetUtcNow() => Now;
}
