namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The wildcards of listener rule conditions: <c>*</c> matches any run of characters, <c>?</c> exactly one. Host,
/// header and query patterns compare case-insensitively, path patterns case-sensitively, as ELB does; query patterns
/// take <c>\</c> before a <c>*</c> or <c>?</c> that stands for itself (<c>escapes</c>).
/// </summary>
internal static class WildcardPattern
{
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase, bool escapes = false)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            // An escaped character is a literal two pattern characters wide.
            var escaped = escapes && p + 1 < pattern.Length && pattern[p] == '\\';
            var literal = escaped ? pattern[p + 1] : p < pattern.Length ? pattern[p] : '\0';
            if (p < pattern.Length && !escaped && literal == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && ((!escaped && literal == '?') || Same(literal, text[t], ignoreCase)))
            {
                p += escaped ? 2 : 1;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
