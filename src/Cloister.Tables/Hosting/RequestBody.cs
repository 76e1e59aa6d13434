using System.Buffers;
using System.Text.Json;

namespace Cloister.Tables.Hosting;

/// <summary>
/// A request's parsed JSON over a pooled copy of its bytes. The copy matters: a JsonDocument keeps
/// reading the memory it was parsed from, and Kestrel reuses its pipe buffers for other
/// connections once they are released.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private readonly int _length;
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length, JsonDocument document)
    {
        _buffer = buffer;
        _length = length;
        Document = document;
    }

    public JsonDocument Document { get; }

    /// <summary>The request bytes as received (SigV4 signs their hash).</summary>
    public ReadOnlySpan<byte> Bytes => _buffer is null ? default : _buffer.AsSpan(0, _length);

    /// <summary>Copies <paramref name="bytes"/> into a pooled buffer and parses it; malformed JSON throws <see cref="JsonException"/>.</summary>
    public static RequestBody Parse(ReadOnlySequence<byte> bytes, JsonDocumentOptions options)
    {
        var length = checked((int)bytes.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            bytes.CopyTo(buffer);
            return new RequestBody(buffer, length, JsonDocument.Parse(buffer.AsMemory(0, length), options));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        Document.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
