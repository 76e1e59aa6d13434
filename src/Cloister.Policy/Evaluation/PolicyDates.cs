using System.Globalization;

namespace Cloister.Policy.Evaluation;

/// <summary>
/// Dates as IAM's Date operators read them: ISO 8601 (with or without a time and zone; UTC when no
/// zone is given) or whole seconds since the Unix epoch.
/// </summary>
internal static class PolicyDates
{
    public static bool TryParse(ReadOnlySpan<char> text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.IsEmpty || text.Length > 40)
        {
            return false;
        }

        if (IsEpoch(text))
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                || seconds < -62_135_596_800 || seconds > 253_402_300_799)
            {
                return false;
            }

            utcTicks = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks;
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        utcTicks = parsed.UtcTicks;
        return true;
    }

    private static bool IsEpoch(ReadOnlySpan<char> text)
    {
        var digits = text[0] == '-' ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
