using System.Globalization;

namespace Cloister.Policy.Evaluation;

/// <summary>
/// Dates as IAM's Date operators read them: the W3C profile of ISO 8601 (with or without a time and zone; UTC
/// when no zone is given) or whole seconds since the Unix epoch.
/// </summary>
internal static class PolicyDates
{
    /// <summary>
    /// The W3C profile of ISO 8601 IAM documents (year and month, date, date with hours and minutes, seconds, fractions;
    /// <c>Z</c> or <c>±hh:mm</c>), each also without a zone. Anything else ("1/2/2030", read by culture; "12:00", whose date
    /// would be the day the policy was read) is refused.
    /// </summary>
    private static readonly string[] W3cFormats =
    [
        "yyyy-MM", "yyyy-MM-dd", "yyyy-MM-ddK",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

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

        // The W3C fraction is "one or more digits"; a tick holds seven, so further ones (nanoseconds) are dropped.
        Span<char> trimmed = stackalloc char[text.Length];
        scoped var readable = DropDigitsBeyondATick(text, trimmed);
        if (!DateTimeOffset.TryParseExact(readable, W3cFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        utcTicks = parsed.UtcTicks;
        return true;
    }

    /// <summary><paramref name="text"/> with the digits of a seconds fraction past the seventh left out, written to <paramref name="buffer"/> when any are.</summary>
    private static ReadOnlySpan<char> DropDigitsBeyondATick(ReadOnlySpan<char> text, Span<char> buffer)
    {
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            return text;
        }

        var digits = text[(dot + 1)..];
        var end = digits.IndexOfAnyExceptInRange('0', '9');
        var count = end < 0 ? digits.Length : end;
        if (count <= 7)
        {
            return text;
        }

        var keep = dot + 1 + 7;
        text[..keep].CopyTo(buffer);
        var rest = digits[count..];
        rest.CopyTo(buffer[keep..]);
        return buffer[..(keep + rest.Length)];
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
