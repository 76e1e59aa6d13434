namespace Cloister.Functions.Tests.Support;

/// <summary>
/// The system's clock moved on by <see cref="Offset"/>: a test lets hours pass for a server (credentials expire) while
/// real clients still sign with the real time, and timers run as the system's do.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
