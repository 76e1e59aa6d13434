namespace Cloister.Gateway.Routing;

/// <summary>
/// A request path's segments as ranges of the path string (empty segments skipped, as API Gateway does), so
/// routing reads them without building a string per segment.
/// </summary>
internal static class PathSegments
{
    /// <summary>At most how many segments <paramref name="path"/> has (its slashes plus one).</summary>
    public static int MaxCount(ReadOnlySpan<char> path) => path.Count('/') + 1;

    /// <summary>Writes the non-empty segments of <paramref name="path"/> into <paramref name="into"/> (at least <see cref="MaxCount"/> long); returns how many.</summary>
    public static int Split(ReadOnlySpan<char> path, Span<Range> into)
    {
        var count = 0;
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                if (i > start)
                {
                    into[count++] = new Range(start, i);
                }

                start = i + 1;
            }
        }

        return count;
    }

    /// <summary>
    /// The text from the first segment to the end of the last, as sent: slashes doubled between them are kept, a trailing
    /// slash is not (what API Gateway binds to a <c>{proxy+}</c>). Always a substring of <paramref name="path"/>.
    /// </summary>
    public static string Span(string path, ReadOnlySpan<Range> segments) =>
        segments.IsEmpty ? string.Empty : path[segments[0].Start..segments[^1].End];

    /// <summary><c>/</c> followed by the segments joined by <c>/</c> (<c>/</c> alone for none): a substring of <paramref name="path"/> when they are contiguous in it.</summary>
    public static string Rooted(string path, ReadOnlySpan<Range> segments)
    {
        if (segments.IsEmpty)
        {
            return "/";
        }

        var contiguous = true;
        var length = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            var (offset, count) = segments[i].GetOffsetAndLength(path.Length);
            length += count + 1;
            contiguous &= i == 0 || offset == segments[i - 1].End.GetOffset(path.Length) + 1;
        }

        var first = segments[0].Start.GetOffset(path.Length);
        if (contiguous && first > 0 && path[first - 1] == '/')
        {
            // The slash before the first segment onwards.
            return path[(first - 1)..segments[^1].End.GetOffset(path.Length)];
        }

        return string.Create(length, (path, segments.ToArray()), static (text, state) =>
        {
            var written = 0;
            foreach (var segment in state.Item2)
            {
                text[written++] = '/';
                var part = state.path.AsSpan()[segment];
                part.CopyTo(text[written..]);
                written += part.Length;
            }
        });
    }
}
