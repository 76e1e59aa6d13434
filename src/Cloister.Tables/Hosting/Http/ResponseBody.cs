namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// A response body in up to three pieces written one after another (a stored item's JSON between the bytes that wrap
/// it into a GetItem answer), so that it is copied once, into the connection's pipe, and never joined before.
/// </summary>
internal readonly ref struct ResponseBody
{
    public ResponseBody(ReadOnlySpan<byte> whole)
    {
        Middle = whole;
    }

    public ResponseBody(ReadOnlySpan<byte> start, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> end)
    {
        Start = start;
        Middle = middle;
        End = end;
    }

    public ReadOnlySpan<byte> Start { get; }

    public ReadOnlySpan<byte> Middle { get; }

    public ReadOnlySpan<byte> End { get; }

    public int Length => Start.Length + Middle.Length + End.Length;
}
