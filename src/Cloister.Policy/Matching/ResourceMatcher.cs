using System.Buffers;

namespace Cloister.Policy.Matching;

/// <summary>
/// The Resource element's ARN matching, as the IAM policy reference documents it: a wildcard of the first five
/// colon-separated segments stays inside its segment, except a <c>*</c> that is the last character of a segment, which
/// "can expand to match beyond the colon boundaries" (so <c>arn:aws:execute-api:*</c> covers every API); in the resource
/// part, after the fifth colon, <c>*</c> and <c>?</c> match any character. The Arn condition operators check the six parts
/// one by one instead (<see cref="ArnMatcher"/>), as the condition operators page documents. Case-sensitive. Dynamic
/// programming over the pattern and the ARN: time proportional to their lengths' product, whatever either holds.
/// </summary>
internal static class ResourceMatcher
{
    /// <summary>The two rows of the table fit on the stack up to this many cells (an ARN of about 250 characters).</summary>
    private const int StackCells = 512;

    /// <summary>Matches an ARN against a Resource pattern, optionally with per-character literal flags (see <see cref="Glob"/>).</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<byte> literal, ReadOnlySpan<char> arn)
    {
        var width = arn.Length + 1;
        bool[]? rented = null;
        Span<bool> cells = width * 2 <= StackCells ? stackalloc bool[StackCells] : (rented = ArrayPool<bool>.Shared.Rent(width * 2));
        try
        {
            return Match(pattern, literal, arn, cells[..width], cells.Slice(width, width));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<bool>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Row t of the table: whether the pattern read so far matches the ARN's first t characters.</summary>
    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<byte> literal, ReadOnlySpan<char> arn, Span<bool> previous, Span<bool> current)
    {
        previous.Clear();
        previous[0] = true;
        var colons = 0;
        for (var p = 0; p < pattern.Length; p++)
        {
            var c = pattern[p];
            var plain = !literal.IsEmpty && literal[p] != 0;
            var wild = !plain && c is '*' or '?';
            var crosses = colons >= 5 || (c == '*' && (p + 1 == pattern.Length || pattern[p + 1] == ':'));
            var any = false;
            current[0] = wild && c == '*' && previous[0];
            any |= current[0];
            for (var t = 1; t < current.Length; t++)
            {
                var ch = arn[t - 1];
                current[t] = !wild ? previous[t - 1] && ch == c
                    : c == '*' ? previous[t] || (current[t - 1] && (crosses || ch != ':'))
                    : previous[t - 1] && (crosses || ch != ':');
                any |= current[t];
            }

            if (!any)
            {
                return false;
            }

            if (c == ':' && !plain)
            {
                colons++;
            }

            var swap = previous;
            previous = current;
            current = swap;
        }

        return previous[^1];
    }
}
