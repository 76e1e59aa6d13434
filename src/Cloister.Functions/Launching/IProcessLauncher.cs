using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloister.Functions.Launching;

/// <summary>
/// Starts execution environment processes and opens the socket their Runtime API listens on. The default,
/// <see cref="HostProcessLauncher"/>, uses the host network and loopback; the network fabric implements it to start
/// a function's processes inside its VPC's namespace with a subnet address, and to open the Runtime API socket on
/// that namespace's loopback.
/// </summary>
public interface IProcessLauncher
{
    /// <summary>
    /// Opens a listening TCP socket the process will reach as <c>AWS_LAMBDA_RUNTIME_API</c>. Returns the socket
    /// (bound and listening, owned by the caller from then on) and the <c>host:port</c> to give the process.
    /// </summary>
    ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken);

    /// <summary>Starts a process with its standard output and error captured.</summary>
    ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken);
}

/// <summary>A listening socket for a Runtime API, and the address its process uses.</summary>
/// <param name="Socket">Bound and listening.</param>
/// <param name="Address">The <c>host:port</c> for <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
public sealed record RuntimeApiSocket(Socket Socket, string Address)
{
    /// <summary>
    /// Listens on 127.0.0.1 on a free port of the calling thread's network namespace; a launcher that places processes
    /// elsewhere calls it on a thread switched into their namespace.
    /// </summary>
    public static RuntimeApiSocket ListenOnLoopback()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen(64);
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            return new RuntimeApiSocket(socket, string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
