using System.Buffers;
using System.Buffers.Text;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// Decodes a chunked request body (RFC 9112 §7.1) as it arrives: chunk sizes in hex (extensions
/// ignored), data, CRLF, then the last chunk and any trailer lines, which are read and ignored.
/// </summary>
internal sealed class ChunkedDecoder(BodyBuffer into, long limit)
{
    /// <summary>Longest chunk-size or trailer line accepted.</summary>
    private const int MaxLineBytes = 4096;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    private State _state = State.Size;
    private long _remaining;

    public bool IsDone => _state == State.Done;

    /// <summary>
    /// Consumes what it can of <paramref name="bytes"/>; returns 0 (with <paramref name="consumed"/> set)
    /// or the status to refuse with: 400 for malformed framing, 413 past the limit.
    /// </summary>
    public int Decode(ReadOnlySequence<byte> bytes, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(bytes);
        try
        {
            while (_state != State.Done)
            {
                switch (_state)
                {
                    case State.Size:
                        if (!reader.TryReadTo(out ReadOnlySequence<byte> sizeLine, "\r\n"u8))
                        {
                            return reader.Remaining > MaxLineBytes ? 400 : 0;
                        }

                        if (sizeLine.Length > MaxLineBytes || !TryParseSize(sizeLine, out _remaining))
                        {
                            return 400;
                        }

                        if (into.Length + _remaining > limit)
                        {
                            return 413;
                        }

                        _state = _remaining == 0 ? State.Trailer : State.Data;
                        break;
                    case State.Data:
                        if (reader.Remaining == 0)
                        {
                            return 0;
                        }

                        var take = Math.Min(_remaining, reader.Remaining);
                        into.Append(reader.UnreadSequence.Slice(0, take));
                        reader.Advance(take);
                        _remaining -= take;
                        _state = _remaining == 0 ? State.DataEnd : State.Data;
                        break;
                    case State.DataEnd:
                        if (reader.Remaining < 2)
                        {
                            return 0;
                        }

                        if (!reader.IsNext("\r\n"u8, advancePast: true))
                        {
                            return 400;
                        }

                        _state = State.Size;
                        break;
                    default:
                        if (!reader.TryReadTo(out ReadOnlySequence<byte> trailer, "\r\n"u8))
                        {
                            return reader.Remaining > MaxLineBytes ? 400 : 0;
                        }

                        if (trailer.Length > MaxLineBytes)
                        {
                            return 400;
                        }

                        _state = trailer.Length == 0 ? State.Done : State.Trailer;
                        break;
                }
            }

            return 0;
        }
        finally
        {
            consumed = reader.Position;
        }
    }

    private static bool TryParseSize(ReadOnlySequence<byte> line, out long size)
    {
        Span<byte> copy = stackalloc byte[MaxLineBytes];
        var text = copy[..(int)line.Length];
        line.CopyTo(text);
        var semicolon = text.IndexOf((byte)';');
        var digits = (semicolon < 0 ? text : text[..semicolon]).TrimEnd((byte)' ').TrimEnd((byte)'\t');
        return Utf8Parser.TryParse(digits, out size, out var used, 'X') && used == digits.Length && digits.Length is > 0 and <= 15;
    }
}
