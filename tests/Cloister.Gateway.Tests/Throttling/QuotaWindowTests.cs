using Cloister.Gateway.Throttling;

namespace Cloister.Gateway.Tests.Throttling;

public sealed class QuotaWindowTests
{
    private static DateTimeOffset At(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(QuotaPeriod.Day, 0, "2026-03-10")]
    [InlineData(QuotaPeriod.Week, 0, "2026-03-08")]
    [InlineData(QuotaPeriod.Week, 2, "2026-03-10")]
    [InlineData(QuotaPeriod.Week, 3, "2026-03-04")]
    [InlineData(QuotaPeriod.Month, 0, "2026-03-01")]
    [InlineData(QuotaPeriod.Month, 14, "2026-02-15")]
    public void Start_TuesdayTenthOfMarch_IsPeriodStart(QuotaPeriod period, int offset, string expected)
    {
        var start = QuotaWindow.Start(At(2026, 3, 10, 17), new QuotaSettings(1, period, offset));

        Assert.Equal(DateTimeOffset.Parse(expected + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), start);
    }

    [Fact]
    public void TryCount_NewPeriod_StartsAgain()
    {
        var counter = new QuotaCounter(new QuotaSettings(2, QuotaPeriod.Month, 0));

        var march = new[] { counter.TryCount(At(2026, 3, 1)), counter.TryCount(At(2026, 3, 20)), counter.TryCount(At(2026, 3, 31, 23)) };
        var april = counter.TryCount(At(2026, 4, 1));

        Assert.Equal([true, true, false], march);
        Assert.True(april);
        Assert.Equal(1, counter.Remaining(At(2026, 4, 2)));
    }
}
