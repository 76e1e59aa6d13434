using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cloister.Shared.Hashing;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// One event message of AWS's event stream encoding (<c>application/vnd.amazon.eventstream</c>), the framing of
/// InvokeWithResponseStream's answer: a 12-byte prelude (the message's total length and its headers' length, both
/// big-endian, then the CRC-32 of those 8 bytes), the headers <c>:event-type</c>, <c>:content-type</c> and
/// <c>:message-type</c> <c>event</c> (each a one-byte name length, the name, the type byte 7 of a string, a big-endian
/// two-byte value length and the value), the payload, and the CRC-32 of everything before it. SDKs check both CRCs and
/// refuse a message over 16 MB.
/// </summary>
internal static class EventStreamMessage
{
    /// <summary>The prelude's length: total length, headers length, prelude CRC.</summary>
    public const int PreludeLength = 12;

    /// <summary>The message CRC after the payload.</summary>
    public const int TrailerLength = 4;

    /// <summary>The event stream's limit on one message: 16 MB.</summary>
    public const int MaxMessageLength = 16 * 1024 * 1024;

    /// <summary>The header value type of a UTF-8 string.</summary>
    public const byte StringType = 7;

    /// <summary>Writes one event message to <paramref name="destination"/>; returns its length.</summary>
    /// <param name="destination">Where the message goes, whole.</param>
    /// <param name="eventType">The <c>:event-type</c> (<c>PayloadChunk</c>, <c>InvokeComplete</c>): the member of the event union it carries.</param>
    /// <param name="contentType">The <c>:content-type</c> of the payload.</param>
    /// <param name="payload">The payload; with the headers and framing at most <see cref="MaxMessageLength"/>.</param>
    public static int Write(IBufferWriter<byte> destination, string eventType, string contentType, ReadOnlySpan<byte> payload)
    {
        var headersLength = HeaderLength(":event-type", eventType) + HeaderLength(":content-type", contentType) + HeaderLength(":message-type", "event");
        var total = PreludeLength + headersLength + payload.Length + TrailerLength;
        if (total > MaxMessageLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "An event stream message is at most 16 MB.");
        }

        var message = destination.GetSpan(total)[..total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], Crc32.Compute(message[..8]));
        var at = PreludeLength;
        at += WriteHeader(message[at..], ":event-type", eventType);
        at += WriteHeader(message[at..], ":content-type", contentType);
        at += WriteHeader(message[at..], ":message-type", "event");
        payload.CopyTo(message[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(message[at..], Crc32.Compute(message[..at]));
        destination.Advance(total);
        return total;
    }

    private static int HeaderLength(string name, string value) => 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);

    private static int WriteHeader(Span<byte> destination, string name, string value)
    {
        var nameLength = Encoding.UTF8.GetBytes(name, destination[1..]);
        destination[0] = (byte)nameLength;
        var at = 1 + nameLength;
        destination[at++] = StringType;
        var valueLength = Encoding.UTF8.GetBytes(value, destination[(at + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)valueLength);
        return at + 2 + valueLength;
    }
}
