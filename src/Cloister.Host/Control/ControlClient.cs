using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cloister.Host.Control;

/// <summary>The CLI's side of the channel to a running stack host.</summary>
public static class ControlClient
{
    /// <summary>Sends <paramref name="request"/>; null when no host answers on <paramref name="path"/>.</summary>
    public static async Task<ControlResponse?> SendAsync(string path, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(request);
        if (!File.Exists(path))
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, HostJson.Default.ControlRequest);
        await stream.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), deadline.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
        return line is null ? null : JsonSerializer.Deserialize(line, HostJson.Default.ControlResponse);
    }
}
