namespace Cloister.Tables.Values;

/// <summary>Reads Unicode code points from UTF-16 text without throwing on lone surrogates.</summary>
internal static class CodePoints
{
    /// <summary>The code point at <paramref name="index"/>; advances past it.</summary>
    public static int Next(string text, ref int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            var value = char.ConvertToUtf32(c, text[index + 1]);
            index += 2;
            return value;
        }

        index++;
        return c;
    }
}
