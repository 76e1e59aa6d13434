using System.Net;
using System.Net.Sockets;
using Cloister.Model;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>Live model changes and the open TCP connections tests make under them.</summary>
internal static class LiveChanges
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    /// <summary>A connection from <paramref name="from"/> to <paramref name="listener"/>: the client's socket and the accepted one.</summary>
    public static async Task<(Socket Client, Socket Server)> ConnectAsync(Sandbox sandbox, HostPlan from, Socket listener)
    {
        var client = sandbox.OpenTcpClient(IPAddress.Parse(from.Address));
        using var deadline = new CancellationTokenSource(Timeout * 4);
        try
        {
            var accept = listener.AcceptAsync(deadline.Token);
            await client.ConnectAsync(listener.LocalEndPoint!, deadline.Token);
            return (client, await accept);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Whether four bytes sent on <paramref name="from"/> arrive on <paramref name="to"/> within the timeout.</summary>
    public static async Task<bool> DeliversAsync(Socket from, Socket to)
    {
        using var deadline = new CancellationTokenSource(Timeout * 2);
        var buffer = new byte[4];
        try
        {
            await from.SendAsync("ping"u8.ToArray(), deadline.Token);
            var received = 0;
            while (received < buffer.Length)
            {
                var read = await to.ReceiveAsync(buffer.AsMemory(received), deadline.Token);
                if (read == 0)
                {
                    return false;
                }

                received += read;
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Applies <paramref name="changed"/>, runs the checks, and puts the model of before back whatever happened.</summary>
    public static async Task WhileAppliedAsync(Sandbox sandbox, CloudModel changed, Func<Task> checks)
    {
        var original = sandbox.Model;
        try
        {
            await sandbox.ApplyAsync(changed);
            await checks();
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }
}
