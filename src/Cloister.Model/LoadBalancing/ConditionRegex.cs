using System.Text.RegularExpressions;

namespace Cloister.Model.LoadBalancing;

/// <summary>
/// The <c>RegexValues</c> of a host-header, path-pattern or http-header condition: what ELB refuses in one, and the
/// <see cref="Regex"/> that matches it against a whole value. The validators and the proxy build them here alike.
/// </summary>
/// <remarks>
/// ELB's expressions lack lookarounds, backreferences, atomic groups, possessive quantifiers, subroutines, recursion
/// and Unicode classes. <see cref="RegexOptions.NonBacktracking"/> refuses the first three (and .NET has no possessive
/// quantifiers, subroutines or recursion), and it matches in time linear in the value, so a listener's pattern cannot
/// stall the proxy; the match timeout is a second guard.
/// </remarks>
public static class ConditionRegex
{
    /// <summary>The longest expression ELB takes.</summary>
    public const int MaxLength = 128;

    /// <summary>How long one match may take before the value counts as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Why ELB would refuse <paramref name="pattern"/>, or null when it is a regular expression it takes.</summary>
    public static string? Problem(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            return "is required (a regular expression cannot be empty).";
        }

        if (pattern.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters.";
        }

        for (var i = 0; i < pattern.Length - 1; i++)
        {
            if (pattern[i] == '\\')
            {
                if (pattern[i + 1] is 'p' or 'P')
                {
                    return $"'{pattern}' uses a Unicode character class (\\p or \\P), which ELB regular expressions lack.";
                }

                i++;
            }
        }

        try
        {
            _ = new Regex(pattern, Options(ignoreCase: false), MatchTimeout);
            return null;
        }
        catch (RegexParseException e)
        {
            return $"'{pattern}' is not a regular expression ({e.Error} at offset {e.Offset}).";
        }
        catch (NotSupportedException)
        {
            return $"'{pattern}' uses a lookaround, backreference, atomic group or conditional, which ELB regular expressions lack.";
        }
    }

    /// <summary>The expression anchored to the whole value, or null when <see cref="Problem"/> finds one.</summary>
    public static Regex? Compile(string pattern, bool ignoreCase) =>
        Problem(pattern) is null ? new Regex($@"\A(?:{pattern})\z", Options(ignoreCase), MatchTimeout) : null;

    /// <summary>Whether <paramref name="regex"/> matches <paramref name="value"/>; a match that times out does not.</summary>
    public static bool IsMatch(Regex regex, string value)
    {
        ArgumentNullException.ThrowIfNull(regex);
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static RegexOptions Options(bool ignoreCase) =>
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
}
