using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Pipeline;

/// <summary>A request body read into a pooled buffer, bounded by API Gateway's 10 MB payload limit.</summary>
internal struct RequestBody : IDisposable
{
    /// <summary>API Gateway's payload limit, 10 MB.</summary>
    public const int MaxLength = 10 * 1024 * 1024;

    private byte[]? _buffer;

    public int Length { get; private set; }

    public bool TooLarge { get; private set; }

    public readonly ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    /// <summary>Whether a <c>Transfer-Encoding</c> names <c>chunked</c> (a loop over the values: no enumerator boxed per request).</summary>
    private static bool IsChunked(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (value?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the body, if any; the request's abort token is taken only then (Kestrel's getter takes a lock).</summary>
    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request)
    {
        var body = default(RequestBody);
        var declared = request.ContentLength;
        if (declared > MaxLength)
        {
            body.TooLarge = true;
            return body;
        }

        if (declared == 0 || (declared is null && !IsChunked(request.Headers.TransferEncoding)))
        {
            return body;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        body._buffer = ArrayPool<byte>.Shared.Rent((int)(declared ?? 16 * 1024));
        while (true)
        {
            if (body.Length == body._buffer.Length)
            {
                if (body.Length >= MaxLength + 1)
                {
                    body.TooLarge = true;
                    return body;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(body._buffer.Length * 2, MaxLength + 1));
                body._buffer.AsSpan(0, body.Length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(body._buffer);
                body._buffer = larger;
            }

            var read = await request.Body.ReadAsync(body._buffer.AsMemory(body.Length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return body;
            }

            body.Length += read;
            if (body.Length > MaxLength)
            {
                body.TooLarge = true;
                return body;
            }
        }
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
