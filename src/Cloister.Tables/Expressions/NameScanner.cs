namespace Cloister.Tables.Expressions;

/// <summary>
/// The scanning DynamoDB's expression lexer and its PartiQL lexer share: the white space between tokens, and an unquoted
/// name (an ASCII letter or underscore, then ASCII letters, digits and underscores).
/// </summary>
internal static class NameScanner
{
    /// <summary>The index of the first character at or after <paramref name="index"/> that is not white space.</summary>
    public static int SkipWhiteSpace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>Whether an unquoted name starts with <paramref name="c"/>.</summary>
    public static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    /// <summary>The index just past the run of name characters starting at <paramref name="index"/>.</summary>
    public static int NameEnd(string text, int index)
    {
        while (index < text.Length && (char.IsAsciiLetterOrDigit(text[index]) || text[index] == '_'))
        {
            index++;
        }

        return index;
    }
}
