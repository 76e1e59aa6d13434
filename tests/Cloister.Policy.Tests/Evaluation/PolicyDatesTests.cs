using System.Globalization;
using Cloister.Policy.Evaluation;

namespace Cloister.Policy.Tests.Evaluation;

public sealed class PolicyDatesTests
{
    [Theory]
    [InlineData("2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z")]
    [InlineData("2030-01-01T00:00:00.123Z", "2030-01-01T00:00:00.123Z")]
    [InlineData("2030-01-01T01:30:00+01:30", "2030-01-01T00:00:00Z")]
    [InlineData("2029-12-31T19:00:00-05:00", "2030-01-01T00:00:00Z")]
    [InlineData("2030-01-01T10:00Z", "2030-01-01T10:00:00Z")]
    [InlineData("2030-01-01T10:00:00", "2030-01-01T10:00:00Z")]
    [InlineData("2030-01-01", "2030-01-01T00:00:00Z")]
    [InlineData("2030-01", "2030-01-01T00:00:00Z")]
    [InlineData("1893456000", "2030-01-01T00:00:00Z")]
    public void TryParse_W3cIso8601OrEpochSeconds_IsRead(string text, string expected)
    {
        Assert.True(PolicyDates.TryParse(text, out var ticks));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture).UtcTicks, ticks);
    }

    [Theory]
    [InlineData("2030-01-01T00:00:00.123456789Z", "2030-01-01T00:00:00.1234567Z")]
    [InlineData("2030-01-01T01:00:00.000000000+01:00", "2030-01-01T00:00:00Z")]
    [InlineData("2030-01-01T00:00:00.12345678", "2030-01-01T00:00:00.1234567Z")]
    public void TryParse_FractionOfMoreThanSevenDigits_IsReadToTheTick(string text, string expected)
    {
        // The W3C profile's fraction is "one or more digits"; nanosecond timestamps (nine digits) are common in
        // machine-written values. Digits beyond a tick (100 ns) cannot change a comparison made to the tick.
        Assert.True(PolicyDates.TryParse(text, out var ticks));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture).UtcTicks, ticks);
    }

    [Theory]
    [InlineData("1/2/2020")]
    [InlineData("12:00")]
    [InlineData("2030-01-01 10:00:00")]
    [InlineData("1 Jan 2030")]
    [InlineData("20300101T000000Z")]
    [InlineData("2030-13-01")]
    [InlineData("2030-01-01T25:00:00Z")]
    [InlineData("2030-01-01T10:00:00 Z")]
    public void TryParse_NotW3cIso8601_IsRefused(string text)
    {
        // IAM's Date operators take "one of the W3C implementations of the ISO 8601 date formats" or epoch seconds;
        // "1/2/2020" would be January or February by culture, "12:00" the day the policy happened to be read.
        Assert.False(PolicyDates.TryParse(text, out _));
    }
}
