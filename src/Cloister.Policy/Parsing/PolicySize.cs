namespace Cloister.Policy.Parsing;

/// <summary>
/// Counts a policy's characters as IAM counts them for its size limits: whitespace outside strings
/// does not count, so a pretty-printed policy is not penalised for its indentation.
/// </summary>
internal static class PolicySize
{
    public static int Count(ReadOnlySpan<char> json)
    {
        var count = 0;
        var inString = false;
        var escaped = false;
        foreach (var c in json)
        {
            if (inString)
            {
                count++;
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (!char.IsWhiteSpace(c))
            {
                count++;
                inString = c == '"';
            }
        }

        return count;
    }
}
