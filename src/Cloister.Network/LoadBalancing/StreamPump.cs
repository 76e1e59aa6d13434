using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Copies bytes both ways between a client and a target with pooled buffers. When one side finishes sending, the
/// other side's write half is shut down (a TCP FIN, after a TLS close_notify), so half-closed protocols still work;
/// when one side resets its connection, the other side is reset.
/// With an idle timeout, data or a FIN arriving on a flow idle past it is not passed on: the side that sent it is reset,
/// and the other side only when it next sends (ELB keeps no state for a forgotten flow, so it cannot tell that side
/// earlier; until then that side's half of the relay stays open, as its connection stays open at the target or client).
/// </summary>
internal static class StreamPump
{
    private const int BufferSize = 16 * 1024;

    public static Task RunAsync(Stream client, Socket clientSocket, Stream target, Socket targetSocket, FlowIdleTimeout? idle, CancellationToken cancellationToken) =>
        Task.WhenAll(
            CopyAsync(client, clientSocket, target, targetSocket, idle, cancellationToken),
            CopyAsync(target, targetSocket, client, clientSocket, idle, cancellationToken));

    /// <summary>Closes a socket with a TCP reset (a zero linger).</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static bool IsReset(Exception e) =>
        (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted;

    private static async Task CopyAsync(Stream from, Socket fromSocket, Stream to, Socket toSocket, FlowIdleTimeout? idle, CancellationToken cancellationToken)
    {
        // The sender's packet met a flow the node no longer knows: that sender is answered with a reset.
        bool Forgotten()
        {
            if (idle is null || idle.Touch())
            {
                return false;
            }

            Reset(fromSocket);
            return true;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var reading = true;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (Forgotten())
                {
                    return;
                }

                reading = false;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                reading = true;
            }

            if (Forgotten())
            {
                return;
            }

            if (to is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (reading && IsReset(e))
        {
            // The sender reset its connection: the other side is reset too, as a network load balancer passes a reset on
            // (a FIN instead would tell it the stream ended cleanly, and a body read to the end of the connection would
            // look whole).
            Reset(toSocket);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away: the caller closes both.
            try
            {
                toSocket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception inner) when (inner is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
