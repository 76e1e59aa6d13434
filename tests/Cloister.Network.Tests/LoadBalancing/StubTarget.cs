using System.Net;
using System.Net.Sockets;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// A target's server on its ENI: it answers every connection with an empty HTTP 200 and closes it, which passes TCP and
/// HTTP health checks alike, or as <c>answer</c> says given what the connection first sent. Disposing it closes the
/// port, so the checks are refused and fail.
/// </summary>
public sealed class StubTarget : IDisposable
{
    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Socket, string, CancellationToken, Task> _answer;

    public StubTarget(Sandbox sandbox, string address, int port, Func<Socket, string, CancellationToken, Task>? answer = null)
    {
        _listener = sandbox.OpenTcpListener(IPAddress.Parse(address), port);
        _answer = answer ?? ((connection, _, cancellationToken) => connection.SendAsync(Ok, SocketFlags.None, cancellationToken).AsTask());
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

            _ = AnswerAsync(connection, _answer);
        }
    }

    private static async Task AnswerAsync(Socket connection, Func<Socket, string, CancellationToken, Task> answer)
    {
        using (connection)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var buffer = new byte[8192];

                // A TCP check closes at once (0 bytes); an HTTP check or request sends its request first.
                var read = await connection.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read > 0)
                {
                    await answer(connection, System.Text.Encoding.ASCII.GetString(buffer, 0, read), timeout.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The checker went away first.
            }
        }
    }
}
