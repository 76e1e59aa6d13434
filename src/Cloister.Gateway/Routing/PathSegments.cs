namespace Cloister.Gateway.Routing;

/// <summary>
/// A request path's segments as ranges of the path string (empty segments skipped, as API Gateway does), so
/// routing reads them without building a string per segment.
/// </summary>
internal static class PathSegments
{
    /// <summary>At most how many segments <paramref name="path"/> has (its slashes plus one).</summary>
    public static int MaxCount(string path) => path.AsSpan().Count('/') + 1;

    /// <summary>Writes the non-empty segments of <paramref name="path"/> into <paramref name="into"/> (at least <see cref="MaxCount"/> long); returns how many.</summary>
    public static int Split(string path, Span<Range> into)
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

    /// <summary>The segments joined by <c>/</c>: a substring of <paramref name="path"/> when they are contiguous in it.</summary>
    public static string Join(string path, ReadOnlySpan<Range> segments) => Join(path, segments, rooted: false);

    /// <summary><c>/</c> followed by the segments joined by <c>/</c> (<c>/</c> alone for none).</summary>
    public static string Rooted(string path, ReadOnlySpan<Range> segments) => Join(path, segments, rooted: true);

    private static string Join(string path, ReadOnlySpan<Range> segments, bool rooted)
    {
        if (segments.IsEmpty)
        {
            return rooted ? "/" : string.Empty;
        }

        var contiguous = true;
        var length = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            var (offset, count) = segments[i].GetOffsetAndLength(path.Length);
            length += count + (i > 0 || rooted ? 1 : 0);
            contiguous &= i == 0 || offset == segments[i - 1].End.GetOffset(path.Length) + 1;
        }

        var first = segments[0].Start.GetOffset(path.Length);
        var end = segments[^1].End.GetOffset(path.Length);
        if (contiguous && (!rooted || (first > 0 && path[first - 1] == '/')))
        {
            // Rooted: the slash before the first segment onwards.
            return path[(rooted ? first - 1 : first)..end];
        }

        return string.Create(length, (path, segments.ToArray(), rooted), static (text, state) =>
        {
            var written = 0;
            foreach (var segment in state.Item2)
            {
                if (written > 0 || state.rooted)
                {
                    text[written++] = '/';
                }

                var part = state.path.AsSpan()[segment];
                part.CopyTo(text[written..]);
                written += part.Length;
            }
        });
    }
}
