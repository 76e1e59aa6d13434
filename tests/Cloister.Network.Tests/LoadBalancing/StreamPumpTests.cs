using System.Net;
using System.Net.Sockets;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// The relay of a network load balancer's flow over real loopback sockets: a flow idle past its TCP idle timeout is
/// forgotten, and each side is reset only when its own next packet meets the forgotten flow (ELB keeps no state to
/// tell the other side with); a reset on one side resets the other; a half-close passes on and the other way goes on.
/// </summary>
public sealed class StreamPumpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_SideSpeaksOnAFlowIdlePastTheTimeout_ResetsThatSideOnlyAndTheOtherWhenItSpeaks(bool clientFirst)
    {
        var clock = new ShiftedTime();
        var forgotten = 0;
        var idle = new FlowIdleTimeout(clock, Timeout, () => Interlocked.Increment(ref forgotten));
        var (client, nodeFront) = await PairAsync();
        var (nodeBack, target) = await PairAsync();
        using var stop = new CancellationTokenSource(Deadline);
        try
        {
            var pump = StreamPump.RunAsync(new NetworkStream(nodeFront), nodeFront, new NetworkStream(nodeBack), nodeBack, idle, stop.Token);
            await client.SendAsync("a"u8.ToArray());
            Assert.Equal("a", await ReceiveAsync(target, stop.Token));
            await target.SendAsync("b"u8.ToArray());
            Assert.Equal("b", await ReceiveAsync(client, stop.Token));

            clock.Offset = Timeout + TimeSpan.FromSeconds(1);
            var (first, second) = clientFirst ? (client, target) : (target, client);
            await first.SendAsync("late"u8.ToArray());

            Assert.Equal("reset", await ReceiveAsync(first, stop.Token));
            Assert.Equal(1, Volatile.Read(ref forgotten));
            // The other side hears nothing (no data, FIN or reset) and its half of the relay stays until it speaks.
            Assert.False(second.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead));
            Assert.False(pump.IsCompleted);

            await second.SendAsync("later"u8.ToArray());
            Assert.Equal("reset", await ReceiveAsync(second, stop.Token));
            await pump.WaitAsync(stop.Token);
            Assert.Equal(1, Volatile.Read(ref forgotten));
        }
        finally
        {
            DisposeAll(client, nodeFront, nodeBack, target);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_OneSideResets_TheOtherIsResetNotClosed(bool targetResets)
    {
        var (client, nodeFront) = await PairAsync();
        var (nodeBack, target) = await PairAsync();
        using var stop = new CancellationTokenSource(Deadline);
        try
        {
            var pump = StreamPump.RunAsync(new NetworkStream(nodeFront), nodeFront, new NetworkStream(nodeBack), nodeBack, null, stop.Token);
            await client.SendAsync("request"u8.ToArray());
            Assert.Equal("request", await ReceiveAsync(target, stop.Token));
            var (resetting, other) = targetResets ? (target, client) : (client, target);

            StreamPump.Reset(resetting);

            Assert.Equal("reset", await ReceiveAsync(other, stop.Token));
            await pump.WaitAsync(stop.Token);
        }
        finally
        {
            DisposeAll(client, nodeFront, nodeBack, target);
        }
    }

    [Fact]
    public async Task RunAsync_ClientHalfCloses_TargetSeesTheEndAndItsAnswerStillReachesTheClient()
    {
        var (client, nodeFront) = await PairAsync();
        var (nodeBack, target) = await PairAsync();
        using var stop = new CancellationTokenSource(Deadline);
        try
        {
            var pump = StreamPump.RunAsync(new NetworkStream(nodeFront), nodeFront, new NetworkStream(nodeBack), nodeBack, null, stop.Token);
            await client.SendAsync("whole request"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);

            Assert.Equal("whole request", await ReceiveAsync(target, stop.Token));
            Assert.Equal("closed", await ReceiveAsync(target, stop.Token));
            await target.SendAsync("answer after the end"u8.ToArray());
            target.Shutdown(SocketShutdown.Send);
            Assert.Equal("answer after the end", await ReceiveAsync(client, stop.Token));
            Assert.Equal("closed", await ReceiveAsync(client, stop.Token));
            await pump.WaitAsync(stop.Token);
        }
        finally
        {
            DisposeAll(client, nodeFront, nodeBack, target);
        }
    }

    /// <summary>What arrives next on <paramref name="socket"/>: its text, "closed" for a FIN, "reset" for a reset.</summary>
    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64];
        try
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken);
            return read == 0 ? "closed" : System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "reset";
        }
    }

    private static void DisposeAll(params Socket[] sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Two connected loopback sockets: the connecting end and the accepted end.</summary>
    private static async Task<(Socket Connecting, Socket Accepted)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connecting.ConnectAsync(listener.LocalEndPoint!);
        return (connecting, await listener.AcceptAsync());
    }
}
