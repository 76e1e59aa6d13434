using System.Net;
using System.Net.Sockets;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// A target's server on its ENI: it answers every connection with an empty HTTP 200 and closes it, which passes TCP and
/// HTTP health checks alike. Disposing it closes the port, so the checks are refused and fail.
/// </summary>
public sealed class StubTarget : IDisposable
{
    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();

    public StubTarget(Sandbox sandbox, string address, int port)
    {
        _listener = sandbox.OpenTcpListener(IPAddress.Parse(address), port);
        _ = ServeAsync(_stop.Token);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = AnswerAsync(connection);
        }
    }

    private static async Task AnswerAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var buffer = new byte[1024];

                // A TCP check closes at once (0 bytes); an HTTP check sends its request first.
                if (await connection.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
                {
                    await connection.SendAsync(Ok, SocketFlags.None, timeout.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                // The checker went away first.
            }
        }
    }
}
