namespace Cloister.Network.Tests;

/// <summary>
/// The system clock moved ahead by <see cref="Offset"/>: what the code under test reads as now jumps forward at the
/// test's word, while its timers still run in real time (the base <see cref="TimeProvider.CreateTimer"/>), so health
/// checks and delays go on as usual. A timeout of minutes is crossed without waiting for it.
/// </summary>
internal sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
