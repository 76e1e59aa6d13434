namespace Cloister.Policy.Matching;

/// <summary>
/// ARN matching as IAM does it for Resource, NotResource and the Arn condition operators: each of the
/// six colon-separated parts is matched on its own (a wildcard never spans a colon of the first five),
/// case-sensitively; the sixth part, the resource, is everything after the fifth colon.
/// </summary>
internal static class ArnMatcher
{
    /// <summary>Matches an ARN against a pattern, optionally with per-character literal flags (see <see cref="Glob"/>).</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<byte> literal, ReadOnlySpan<char> arn)
    {
        if (pattern.Length == 1 && pattern[0] == '*' && (literal.IsEmpty || literal[0] == 0))
        {
            return true;
        }

        for (var part = 0; part < 5; part++)
        {
            var patternColon = pattern.IndexOf(':');
            var arnColon = arn.IndexOf(':');
            if (patternColon < 0 || arnColon < 0)
            {
                return false;
            }

            var flags = literal.IsEmpty ? default : literal[..patternColon];
            if (!Glob.IsMatch(pattern[..patternColon], flags, arn[..arnColon], ignoreCase: false))
            {
                return false;
            }

            pattern = pattern[(patternColon + 1)..];
            literal = literal.IsEmpty ? default : literal[(patternColon + 1)..];
            arn = arn[(arnColon + 1)..];
        }

        return Glob.IsMatch(pattern, literal, arn, ignoreCase: false);
    }
}
