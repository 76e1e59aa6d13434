using System.Buffers;

namespace Cloister.Tables.Hosting.Http;

/// <summary>A growing pooled array a request body is gathered into (decoded when chunked); its array is handed on with the body.</summary>
internal sealed class BodyBuffer(int capacity)
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));

    public int Length { get; private set; }

    public void Append(ReadOnlySequence<byte> bytes)
    {
        var needed = Length + checked((int)bytes.Length);
        if (needed > _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        bytes.CopyTo(_array.AsSpan(Length));
        Length = needed;
    }

    /// <summary>Hands the array over to a <see cref="RequestBody"/> (which returns it to the pool).</summary>
    public RequestBody ToBody()
    {
        var body = RequestBody.Adopt(_array, Length);
        _array = [];
        return body;
    }

    /// <summary>Returns the array when the body is abandoned.</summary>
    public void Abandon()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
