using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Copies bytes both ways between a client and a target with pooled buffers. When one side finishes sending, the
/// other side's write half is shut down (a TCP FIN, after a TLS close_notify), so half-closed protocols still work.
/// </summary>
internal static class StreamPump
{
    private const int BufferSize = 16 * 1024;

    public static Task RunAsync(Stream client, Socket clientSocket, Stream target, Socket targetSocket, CancellationToken cancellationToken) =>
        Task.WhenAll(
            CopyAsync(client, target, targetSocket, cancellationToken),
            CopyAsync(target, client, clientSocket, cancellationToken));

    private static async Task CopyAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            if (to is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side reset or went away: the caller closes both.
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
