using Cloister.Model.Api;

namespace Cloister.Gateway.Throttling;

/// <summary>Where a usage plan's quota period starts, in UTC: the day; the week from the offset's weekday; the month from the offset's day.</summary>
internal static class QuotaWindow
{
    public static DateTimeOffset Start(DateTimeOffset now, QuotaSettings quota)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        switch (quota.Period)
        {
            case QuotaPeriod.Week:
                var back = ((int)today.DayOfWeek - Math.Clamp(quota.Offset, 0, 6) + 7) % 7;
                return today.AddDays(-back);
            case QuotaPeriod.Month:
                var day = Math.Clamp(quota.Offset, 0, 27) + 1;
                var start = new DateTimeOffset(today.Year, today.Month, day, 0, 0, 0, TimeSpan.Zero);
                return start <= today ? start : start.AddMonths(-1);
            default:
                return today;
        }
    }
}
