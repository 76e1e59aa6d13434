using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// The timeouts that end idle connections: a network load balancer's TCP idle timeout (<c>tcp.idle_timeout.seconds</c>)
/// and an application load balancer's idle timeout and HTTP client keepalive duration on the clients' side. Timeouts
/// of a minute or more are crossed by moving the load balancers' clock ahead (<see cref="BalancerFixture.Clock"/>).
/// </summary>
public sealed partial class LoadBalancerServiceTests
{
    [Fact]
    public async Task Nlb_FlowIdlePastTheTcpIdleTimeout_IsForgottenAndTheClientsNextPacketIsReset()
    {
        var model = fixture.Sandbox.Model;
        var group = model.TargetGroups.Single(g => g.Name == "nodeip");
        var sockets = new List<Socket>();
        try
        {
            await fixture.Balancers.UpdateAsync(WithListener(model, BalancerTopology.NlbArn, BalancerTopology.NodeIpPort, l => l with { TcpIdleTimeoutSeconds = Listener.MinTcpIdleTimeoutSeconds }));
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.EveryNodeSees("nodeip", $"10.50.1.13:{BalancerTopology.WebPort + 1}", TargetHealthState.Healthy), Settle));
            var client = IPAddress.Parse(fixture.Host("client").Address);
            for (var i = 0; i < 2; i++)
            {
                sockets.Add(fixture.Sandbox.OpenTcpClient(client));
                await sockets[i].ConnectAsync(new IPEndPoint(NlbNodes[0], BalancerTopology.NodeIpPort));
            }

            // Idle from the moment the node takes them up: the second flow speaks just inside the timeout, the first
            // just past it.
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.Balancers.ConnectionCount(group.Id) == 2, Settle));
            fixture.Clock.Offset = TimeSpan.FromSeconds(Listener.MinTcpIdleTimeoutSeconds - 2);
            var inside = await FinishRequestAsync(sockets[1], "GET / HTTP/1.0\r\n\r\n");
            fixture.Clock.Offset = TimeSpan.FromSeconds(Listener.MinTcpIdleTimeoutSeconds + 2);
            var past = await FinishRequestAsync(sockets[0], "GET / HTTP/1.0\r\n\r\n");

            Assert.StartsWith("echo-vpc ", inside, StringComparison.Ordinal);
            Assert.Equal("reset", past);
            // The forgotten flow is gone from the node; the other one (answered, its client still open) remains.
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.Balancers.ConnectionCount(group.Id) == 1, Settle));
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            fixture.Clock.Offset = TimeSpan.Zero;
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    [Fact]
    public async Task Alb_ClientConnectionIdlePastTheIdleTimeout_IsClosed()
    {
        var model = fixture.Sandbox.Model;
        try
        {
            await fixture.Balancers.UpdateAsync(WithAlbIdleTimeout(model, 2));
            await using var tls = await OpenAlbConnectionAsync();

            var first = await KeptAliveRequestAsync(tls, "/maintenance");
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            var second = await KeptAliveRequestAsync(tls, "/maintenance");
            var idle = Stopwatch.StartNew();
            var closed = await ReadsEndAsync(tls, TimeSpan.FromSeconds(10));

            Assert.StartsWith("HTTP/1.1 503", first, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 503", second, StringComparison.Ordinal);
            Assert.True(closed, "the load balancer keeps the idle client connection open");
            Assert.InRange(idle.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    [Fact]
    public async Task Alb_ClientKeepAliveDurationOver_NextResponseClosesTheConnection()
    {
        var model = fixture.Sandbox.Model;
        try
        {
            await fixture.Balancers.UpdateAsync(model with
            {
                LoadBalancers = [.. model.LoadBalancers.Select(b => b.Id == BalancerTopology.AlbArn
                    ? b with { IdleTimeoutSeconds = LoadBalancer.MaxIdleTimeoutSeconds, ClientKeepAliveSeconds = LoadBalancer.MinClientKeepAliveSeconds }
                    : b)],
            });
            await using var tls = await OpenAlbConnectionAsync();

            var within = await KeptAliveRequestAsync(tls, "/maintenance");
            fixture.Clock.Offset = TimeSpan.FromSeconds(LoadBalancer.MinClientKeepAliveSeconds + 1);
            var after = await KeptAliveRequestAsync(tls, "/maintenance");
            var closed = await ReadsEndAsync(tls, TimeSpan.FromSeconds(5));

            Assert.DoesNotContain("Connection: close", within, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("HTTP/1.1 503", after, StringComparison.Ordinal);
            Assert.Contains("\r\nConnection: close\r\n", after, StringComparison.OrdinalIgnoreCase);
            Assert.True(closed, "the connection outlives the response that closes it");
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    /// <summary>An HTTPS connection from the client instance to the ALB's first node, the sandbox CA trusted.</summary>
    private async Task<SslStream> OpenAlbConnectionAsync()
    {
        var socket = fixture.Sandbox.OpenTcpClient(IPAddress.Parse(fixture.Host("client").Address));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(AlbNodes[0], 443), timeout.Token);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(TrustingTheSandboxCa(), timeout.Token);
        return tls;
    }

    /// <summary>One HTTP/1.1 GET on a kept-alive connection: the response's head (status line and headers) and body, read by its Content-Length.</summary>
    private static async Task<string> KeptAliveRequestAsync(Stream stream, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {BalancerTopology.CustomName}\r\n\r\n"), timeout.Token);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1)
        {
            head.Append((char)one[0]);
        }

        var length = Regex.Match(head.ToString(), @"\r\nContent-Length: (\d+)\r\n", RegexOptions.IgnoreCase);
        var body = new byte[length.Success ? int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body, timeout.Token);
        return head.Append(Encoding.ASCII.GetString(body)).ToString();
    }

    /// <summary>Whether the peer ends the connection (a close, a reset) within <paramref name="within"/>, nothing more arriving.</summary>
    private static async Task<bool> ReadsEndAsync(Stream stream, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static CloudModel WithListener(CloudModel model, string balancerArn, int port, Func<Listener, Listener> change) =>
        model with { Listeners = [.. model.Listeners.Select(l => l.LoadBalancerId == balancerArn && l.Port == port ? change(l) : l)] };
}
