using System.Buffers;
using System.IO.Pipelines;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Whether a connection opens with HTTP/2's client preface (RFC 9113 section 3.4: HTTP/2 "with prior knowledge"), which
/// an HTTP listener, serving HTTP/1.1 only, answers as ELB does: 505, "the load balancer established an HTTP/1
/// connection but received an HTTP/2 request". The bytes are looked at, not taken: the HTTP/1.1 server reads them all.
/// </summary>
internal static class Http2Preface
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>True once the whole preface has arrived; false at the first byte that differs or when the client stops sending.</summary>
    public static async Task<bool> OpensAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (matches, whole) = Compare(buffer);
            if (!matches || whole || result.IsCompleted)
            {
                // Nothing consumed, nothing examined: the next read returns the same bytes at once.
                input.AdvanceTo(buffer.Start);
                return matches && whole;
            }

            // So far a beginning of the preface: wait for more.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (bool Matches, bool Whole) Compare(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        return (head[..length].SequenceEqual(Preface[..length]), length == Preface.Length);
    }
}
