using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// Reads an <c>application/vnd.amazon.eventstream</c> body as a client does, checking each message's prelude and message
/// CRC-32 with zlib's (not the service's own), and its string headers.
/// </summary>
internal static class EventStreamReader
{
    /// <summary>One message: its headers by name and its payload.</summary>
    public sealed record Message(IReadOnlyDictionary<string, string> Headers, byte[] Payload);

    public static List<Message> ReadAll(ReadOnlySpan<byte> body)
    {
        var messages = new List<Message>();
        while (!body.IsEmpty)
        {
            var total = BinaryPrimitives.ReadInt32BigEndian(body);
            var headersLength = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(body[8..]), Crc(body[..8]));
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(body[(total - 4)..]), Crc(body[..(total - 4)]));
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            var at = 12;
            while (at < 12 + headersLength)
            {
                var nameLength = body[at];
                var name = Encoding.UTF8.GetString(body.Slice(at + 1, nameLength));
                at += 1 + nameLength;
                Assert.Equal(7, body[at]);
                var valueLength = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 1)..]);
                headers[name] = Encoding.UTF8.GetString(body.Slice(at + 3, valueLength));
                at += 3 + valueLength;
            }

            Assert.Equal(12 + headersLength, at);
            messages.Add(new Message(headers, body[at..(total - 4)].ToArray()));
            body = body[total..];
        }

        return messages;
    }

    /// <summary>zlib's CRC-32 of <paramref name="data"/>, read from the trailer of a gzip member of it.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(compressed.GetBuffer().AsSpan((int)compressed.Length - 8));
    }
}
