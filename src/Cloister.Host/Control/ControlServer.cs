using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cloister.Host.Control;

/// <summary>
/// The stack host's side of the CLI channel: a Unix socket in the state folder (a path socket, so it works across
/// network namespaces and no network socket is opened for it). Each connection sends one JSON request line and gets
/// one JSON response line.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _path;
    private readonly Func<ControlRequest, CancellationToken, Task<ControlResponse>> _handle;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    // The connections being served, finished ones pruned as new ones come: the dispose waits for them, so that a
    // command's answer is written and no handler reads the token after it is disposed.
    private readonly List<Task> _serving = [];

    // How long the dispose waits for the commands being served to answer.
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(30);

    private ControlServer(Socket listener, string path, Func<ControlRequest, CancellationToken, Task<ControlResponse>> handle)
    {
        _listener = listener;
        _path = path;
        _handle = handle;
        _accepting = AcceptAsync();
    }

    /// <summary>Listens on <paramref name="path"/> (replacing a stale socket file) and answers with <paramref name="handle"/>.</summary>
    public static ControlServer Start(string path, Func<ControlRequest, CancellationToken, Task<ControlResponse>> handle)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(handle);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new ControlServer(listener, path, handle);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var serving = ServeAsync(connection);
            lock (_serving)
            {
                _serving.RemoveAll(t => t.IsCompleted);
                _serving.Add(serving);
            }
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using var socket = connection;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        ControlResponse response;
        try
        {
            var line = await reader.ReadLineAsync(_stopping.Token).ConfigureAwait(false);
            var request = line is null ? null : JsonSerializer.Deserialize(line, HostJson.Default.ControlRequest);
            response = request is null
                ? new ControlResponse(false, "Empty request.")
                : await _handle(request, _stopping.Token).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            response = new ControlResponse(false, "Malformed request: " + exception.Message);
        }
        catch (OperationCanceledException)
        {
            return;
        }
#pragma warning disable CA1031 // Any failure of a command is the CLI's answer, not the host's end.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            response = new ControlResponse(false, exception.Message);
        }

        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(response, HostJson.Default.ControlResponse);
            await stream.WriteAsync(bytes).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // The CLI went away.
        }
    }

    /// <summary>
    /// Stops answering: cancels the commands being served and waits for them to write their answers, then removes the
    /// socket file.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] serving;
        lock (_serving)
        {
            serving = [.. _serving];
        }

        // Bounded: a command deaf to cancellation must not keep the host from ending (its answer is then lost).
        await Task.WhenAll(serving).WaitAsync(AnswerWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        File.Delete(_path);
        _stopping.Dispose();
    }
}
