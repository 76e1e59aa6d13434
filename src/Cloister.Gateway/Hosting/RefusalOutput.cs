using System.Buffers;
using System.IO.Pipelines;
using Cloister.Gateway.Responses;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Hosting;

/// <summary>
/// A connection's output as Kestrel writes it, after TLS: passed through untouched, except when Kestrel has refused the
/// request itself (<see cref="Refuse"/>: no <c>Host</c>, a bad request line, a header block over its limit...), whose
/// empty 4xx is replaced by the gateway's JSON answer (<see cref="KestrelRefusalResponse"/>). Kestrel's refusals cannot be
/// customised (aspnet/KestrelHttpServer#2947); its <c>BadRequest</c> diagnostic event tells which request is refused before
/// the answer is written. Also a connection feature, which the event finds through the request's features.
/// </summary>
internal sealed class RefusalOutput(PipeWriter inner, ILogger logger) : PipeWriter
{
    /// <summary>The marker of every answer the gateway writes itself (<c>RequestHandler</c> sets it first).</summary>
    private static ReadOnlySpan<byte> GatewayAnswer => "\r\nx-amzn-RequestId: "u8;

    private ArrayBufferWriter<byte>? _held;
    private int _refusedStatus;

    /// <summary>
    /// Kestrel refused the request with <paramref name="status"/>: what is written next is held back until flushed, and
    /// replaced by the gateway's answer unless it is one already (a body the gateway was reading broke off, and the
    /// gateway answered that itself).
    /// </summary>
    public void Refuse(int status)
    {
        _held ??= new ArrayBufferWriter<byte>(512);
        _refusedStatus = status;
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

    public override void Advance(int bytes)
    {
        if (_refusedStatus == 0)
        {
            inner.Advance(bytes);
        }
        else
        {
            _held!.Advance(bytes);
        }
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _refusedStatus == 0 ? inner.GetMemory(sizeHint) : _held!.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _refusedStatus == 0 ? inner.GetSpan(sizeHint) : _held!.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        return inner.CompleteAsync(exception);
    }

    private void Release()
    {
        if (_refusedStatus == 0)
        {
            return;
        }

        var status = _refusedStatus;
        _refusedStatus = 0;
        var held = _held!.WrittenSpan;
        if (held.IsEmpty)
        {
            _refusedStatus = status;
            return;
        }

        if (held.IndexOf(GatewayAnswer) >= 0)
        {
            inner.Write(held);
        }
        else
        {
            var requestId = KestrelRefusalResponse.Write(inner, status);
            Log.KestrelRefused(logger, requestId, status);
        }

        _held.ResetWrittenCount();
    }
}
