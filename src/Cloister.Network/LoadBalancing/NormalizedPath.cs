using System.Text;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A request's path as ELB evaluates listener rules against it ("The rule evaluation is performed only after URI
/// normalization occurs"): RFC 3986's syntax-based normalization (section 6.2.2) of the path as sent. An escape of an
/// unreserved character (letters, digits, <c>-._~</c>) is decoded (<c>/%61bc</c> is <c>/abc</c>); any other escape
/// stays encoded with upper-case hex (<c>/a%20b</c> stays so, <c>%2f</c> becomes <c>%2F</c>); an invalid escape stays
/// as written; then dot segments are removed (section 5.2.4). Unlike Kestrel's decoded <c>Request.Path</c>, a space,
/// <c>?</c> or <c>#</c> the client escaped is never a character a pattern's <c>?</c> could stand for.
/// </summary>
internal static class NormalizedPath
{
    public static string Of(ReadOnlySpan<char> path)
    {
        var normalized = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2]))
            {
                var value = (char)((Uri.FromHex(path[i + 1]) << 4) | Uri.FromHex(path[i + 2]));
                if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~')
                {
                    normalized.Append(value);
                }
                else
                {
                    normalized.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
                }

                i += 2;
            }
            else
            {
                normalized.Append(path[i]);
            }
        }

        return RemoveDotSegments(normalized.ToString());
    }

    /// <summary>RFC 3986's remove_dot_segments (section 5.2.4), step by step.</summary>
    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.', StringComparison.Ordinal))
        {
            return path;
        }

        var input = path.AsSpan();
        var output = new StringBuilder(path.Length);
        while (!input.IsEmpty)
        {
            if (input.StartsWith("../", StringComparison.Ordinal))
            {
                input = input[3..];
            }
            else if (input.StartsWith("./", StringComparison.Ordinal) || input.StartsWith("/./", StringComparison.Ordinal))
            {
                input = input[2..];
            }
            else if (input is "/.")
            {
                input = "/";
            }
            else if (input.StartsWith("/../", StringComparison.Ordinal) || input is "/..")
            {
                input = input.Length == 3 ? "/" : input[3..];
                RemoveLastSegment(output);
            }
            else if (input is "." or "..")
            {
                input = [];
            }
            else
            {
                var next = input[1..].IndexOf('/');
                var end = next < 0 ? input.Length : next + 1;
                output.Append(input[..end]);
                input = input[end..];
            }
        }

        return output.ToString();
    }

    private static void RemoveLastSegment(StringBuilder output)
    {
        var last = output.Length - 1;
        while (last >= 0 && output[last] != '/')
        {
            last--;
        }

        output.Length = Math.Max(last, 0);
    }
}
