using System.Net;
using System.Net.Sockets;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>The health check loop over loopback sockets: no sandbox needed for its timing.</summary>
public sealed class HealthCheckerTests
{
    [Fact]
    public async Task CheckNow_TargetStartedAfterAFailedFirstRound_HealthyWithoutWaitingForTheInterval()
    {
        var port = FreePort();
        var group = new TargetGroup("arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/late/1", "Late", "late", "TCP", port, "vpc-x", "ip", ["127.0.0.1"],
            new HealthCheck("TCP", null, "traffic-port", "200-399", 300, 3, 2));
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, port)], IPAddress.Loopback, null, HealthMatcher.Parse("200-399", []), [null]);
        var health = new TargetHealth(plan, null);
        var sockets = new LoopbackSockets();
        await using var checker = new HealthChecker(health, sockets, TimeProvider.System, NullLogger.Instance);

        checker.Start();
        Assert.True(await BalancerFixture.EventuallyAsync(() => sockets.Opened == 1, TimeSpan.FromSeconds(5)));
        await Task.Delay(300);
        var afterFirstRound = Assert.Single(health.Describe()).State;
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        checker.CheckNow();

        Assert.Equal(TargetHealthState.Initial, afterFirstRound);
        Assert.True(await BalancerFixture.EventuallyAsync(() => health.Describe().Single().State == TargetHealthState.Healthy, TimeSpan.FromSeconds(5)));
        Assert.Equal(2, sockets.Opened);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Client sockets on the machine's loopback, counted; the checker opens nothing else.</summary>
    private sealed class LoopbackSockets : IEniSockets
    {
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public Socket OpenTcpClient(IPAddress source)
        {
            Interlocked.Increment(ref _opened);
            return new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        }

        public Socket OpenTcpListener(IPAddress address, int port, int backlog = 512) => throw new NotSupportedException();

        public Socket OpenUdpSocket(IPAddress address, int port) => throw new NotSupportedException();

        public Socket CreateInNamespace(string namespaceName, Func<Socket> create) => throw new NotSupportedException();
    }
}
