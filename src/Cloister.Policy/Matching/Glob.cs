namespace Cloister.Policy.Matching;

/// <summary>
/// IAM wildcard matching: <c>*</c> matches any run of characters (including none and including
/// <c>/</c> and <c>:</c>), <c>?</c> matches exactly one character. Linear-time greedy matching with a
/// single backtrack point, so a hostile pattern cannot make it exponential.
/// </summary>
internal static class Glob
{
    /// <summary>Matches <paramref name="text"/> against <paramref name="pattern"/> where every <c>*</c> and <c>?</c> is a wildcard.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase) =>
        IsMatch(pattern, default, text, ignoreCase);

    /// <summary>
    /// Matches with per-character wildcard flags: when <paramref name="literal"/> is not empty, a
    /// <c>*</c> or <c>?</c> whose flag is non-zero is an ordinary character (it came from <c>${*}</c>,
    /// <c>${?}</c> or from a policy variable's value).
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<byte> literal, ReadOnlySpan<char> text, bool ignoreCase)
    {
        var p = 0;
        var t = 0;
        var starP = -1;
        var starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                var wild = literal.IsEmpty || literal[p] == 0;
                if (wild && c == '*')
                {
                    if (p == pattern.Length - 1)
                    {
                        // A trailing star takes whatever is left.
                        return true;
                    }

                    starP = p++;
                    starT = t;
                    continue;
                }

                if ((wild && c == '?') || CharEquals(c, text[t], ignoreCase))
                {
                    p++;
                    t++;
                    continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            t = ++starT;
        }

        while (p < pattern.Length && pattern[p] == '*' && (literal.IsEmpty || literal[p] == 0))
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Whether <paramref name="pattern"/> holds a wildcard at all.</summary>
    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    private static bool CharEquals(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
