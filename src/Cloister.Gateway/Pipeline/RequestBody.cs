using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// A request body, or an HTTP integration's response body, read into pooled buffers bounded by API Gateway's
/// 10 MB payload limit.
/// </summary>
internal struct RequestBody : IDisposable
{
    /// <summary>API Gateway's payload limit, 10 MB.</summary>
    public const int MaxLength = 10 * 1024 * 1024;

    /// <summary>
    /// The first buffer: most bodies fit, and a large <c>Content-Length</c> reserves no more than this before its
    /// bytes arrive (a client announcing 10 MB and sending nothing would otherwise hold 16 MB of the pool).
    /// </summary>
    private const int FirstBufferLength = 64 * 1024;

    private byte[]? _buffer;

    public int Length { get; private set; }

    public bool TooLarge { get; private set; }

    public readonly ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    /// <summary>The size of the pooled buffer held (what the body costs in memory).</summary>
    internal readonly int Capacity => _buffer?.Length ?? 0;

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
    public static ValueTask<RequestBody> ReadAsync(HttpRequest request)
    {
        var declared = request.ContentLength;
        if (declared == 0 || (declared is null && !IsChunked(request.Headers.TransferEncoding)))
        {
            return ValueTask.FromResult(default(RequestBody));
        }

        return ReadAsync(request.Body, declared, request.HttpContext.RequestAborted);
    }

    /// <summary>Reads <paramref name="source"/> to its end, or until it passes <see cref="MaxLength"/> (then <see cref="TooLarge"/>).</summary>
    /// <param name="source">The body's stream.</param>
    /// <param name="declared">Its <c>Content-Length</c>, when it has one.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async ValueTask<RequestBody> ReadAsync(Stream source, long? declared, CancellationToken cancellationToken)
    {
        var body = default(RequestBody);
        if (declared > MaxLength)
        {
            body.TooLarge = true;
            return body;
        }

        if (declared == 0)
        {
            return body;
        }

        body._buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? FirstBufferLength, FirstBufferLength));
        try
        {
            while (true)
            {
                if (body.Length == declared)
                {
                    // All announced bytes are in (the server, or HttpClient, ends the stream there): no read for the end.
                    return body;
                }

                if (body.Length == body._buffer.Length)
                {
                    // Doubling as bytes arrive: each byte is copied about once more in all.
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(body._buffer.Length * 2, MaxLength + 1));
                    body._buffer.AsSpan(0, body.Length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(body._buffer);
                    body._buffer = larger;
                }

                var read = await source.ReadAsync(body._buffer.AsMemory(body.Length), cancellationToken).ConfigureAwait(false);
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
        catch
        {
            body.Dispose();
            throw;
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
