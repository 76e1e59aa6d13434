using System.Buffers;
using System.Text.Json;

namespace Cloister.Tables.Hosting;

/// <summary>
/// A request's bytes in a pooled copy, and their JSON document once someone asks for it. The copy
/// matters: a JsonDocument keeps reading the memory it was parsed from, and the connection's pipe
/// buffers are reused for other requests once they are released. A request answered straight from its bytes
/// (a simple GetItem) never builds the document.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private readonly int _length;
    private byte[]? _buffer;
    private JsonDocument? _document;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The request bytes as received (SigV4 signs their hash).</summary>
    public ReadOnlySpan<byte> Bytes => _buffer is null ? default : _buffer.AsSpan(0, _length);

    /// <summary>Copies <paramref name="bytes"/> into a pooled buffer.</summary>
    public static RequestBody Copy(ReadOnlySequence<byte> bytes)
    {
        var length = checked((int)bytes.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        bytes.CopyTo(buffer);
        return new RequestBody(buffer, length);
    }

    /// <summary>Takes ownership of <paramref name="pooled"/>, an array rented from the shared pool holding the body in its first <paramref name="length"/> bytes.</summary>
    public static RequestBody Adopt(byte[] pooled, int length) => new(pooled, length);

    /// <summary>The bytes as a JSON document, parsed on the first call; malformed JSON throws <see cref="JsonException"/>.</summary>
    public JsonDocument ParseDocument(JsonDocumentOptions options)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        return _document ??= JsonDocument.Parse(_buffer.AsMemory(0, _length), options);
    }

    public void Dispose()
    {
        _document?.Dispose();
        _document = null;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
