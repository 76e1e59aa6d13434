using System.Net;
using System.Net.Sockets;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Sockets;
using Cloister.Network.Topology;
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
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, port)], IPAddress.Loopback, [IPAddress.Loopback], null, HealthMatcher.Parse("200-399", []), [null], [true]);
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

    [Theory]
    [InlineData("HTTP", "HTTP/1.1 404 Not Found", nameof(HealthCheckResult.ResponseCodeMismatch), "Target.ResponseCodeMismatch")]
    [InlineData("HTTP", null, nameof(HealthCheckResult.Timeout), "Target.Timeout")]
    [InlineData("HTTP", "garbage", nameof(HealthCheckResult.FailedHealthChecks), "Target.FailedHealthChecks")]
    [InlineData("TCP", "HTTP/1.1 404 Not Found", nameof(HealthCheckResult.FailedHealthChecks), "Target.FailedHealthChecks")]
    [InlineData("TCP", null, nameof(HealthCheckResult.FailedHealthChecks), "Target.FailedHealthChecks")]
    public async Task CheckAsync_WrongStatusOrSilence_SaysWhyAsElbDoesForTheGroupsLoadBalancer(string groupProtocol, string? statusLine, string expected, string reason)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var group = new TargetGroup("arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/why/1", "Why", "why", groupProtocol, port, "vpc-x", "ip", ["127.0.0.1"],
            new HealthCheck("HTTP", "/health", "traffic-port", "200", 30, 2, 1));
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, port)], IPAddress.Loopback, [IPAddress.Loopback], null, HealthMatcher.Parse("200", []), [null], [true]);
        var answer = AnswerOnceAsync(listener, statusLine);

        // Silence waits out the timeout; an answer gets time enough to arrive on a loaded machine (else it reads as a timeout).
        var timeout = TimeSpan.FromMilliseconds(statusLine is null ? 500 : 5_000);
        var result = await HealthProbe.CheckAsync(new LoopbackSockets(), plan, plan.Targets[0], timeout, CancellationToken.None);
        var health = new TargetHealth(plan, null);
        health.Record(0, result);

        Assert.Equal(expected, result.ToString());
        Assert.Equal((TargetHealthState.Unhealthy, reason), (health.Describe().Single().State, health.Describe().Single().Reason));
        listener.Stop();
        await answer;
    }

    [Theory]
    [InlineData("TCP", "TCP", 30, 10)]
    [InlineData("TLS", "HTTPS", 30, 10)]
    [InlineData("TCP", "HTTP", 30, 6)]
    [InlineData("HTTP", "HTTP", 30, 5)]
    [InlineData("HTTPS", "HTTPS", 30, 5)]
    [InlineData("TCP", "TCP", 5, 5)]
    [InlineData("TCP", "HTTP", 1, 1)]
    public void TimeoutFor_NoTimeoutInTheModel_ElbsDefaultForTheLoadBalancerAndCheckWithinTheInterval(string groupProtocol, string checkProtocol, int interval, int seconds)
    {
        // ELB's HealthCheckTimeoutSeconds defaults: an NLB's HTTP checks 6 s, TCP and HTTPS checks 10 s; an ALB's 5 s.
        var group = new TargetGroup("arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/t/1", "T", "t", groupProtocol, 80, "vpc-x", "ip", ["127.0.0.1"],
            new HealthCheck(checkProtocol, checkProtocol == "TCP" ? null : "/", "traffic-port", "200-399", interval, 5, 2));
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, 80)], IPAddress.Loopback, [IPAddress.Loopback], null, HealthMatcher.Parse("200-399", []), [null], [true]);

        Assert.Equal(TimeSpan.FromSeconds(seconds), HealthChecker.TimeoutFor(plan));
    }

    [Fact]
    public async Task CheckAsync_TargetSlowerThanTheGroupsTimeoutSeconds_TimesOutThoughElbsDefaultWouldWait()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var group = new TargetGroup("arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/slow/1", "Slow", "slow", "HTTP", port, "vpc-x", "ip", ["127.0.0.1"],
            new HealthCheck("HTTP", "/health", "traffic-port", "200", 30, 2, 2) { TimeoutSeconds = 2 });
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, port)], IPAddress.Loopback, [IPAddress.Loopback], null, HealthMatcher.Parse("200", []), [null], [true]);
        var answer = AnswerOnceAsync(listener, "HTTP/1.1 200 OK", TimeSpan.FromSeconds(3.5));

        var timeout = HealthChecker.TimeoutFor(plan);
        var result = await HealthProbe.CheckAsync(new LoopbackSockets(), plan, plan.Targets[0], timeout, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(2), timeout);
        Assert.Equal(HealthCheckResult.Timeout, result);
        listener.Stop();
        await answer;
    }

    [Fact]
    public async Task CheckAsync_Refused_FailedHealthChecks()
    {
        var port = FreePort();
        var group = new TargetGroup("arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/off/1", "Off", "off", "HTTP", port, "vpc-x", "ip", ["127.0.0.1"],
            new HealthCheck("HTTP", "/", "traffic-port", "200", 30, 2, 1));
        var plan = new TargetGroupPlan(group, [new IPEndPoint(IPAddress.Loopback, port)], IPAddress.Loopback, [IPAddress.Loopback], null, HealthMatcher.Parse("200", []), [null], [true]);

        Assert.Equal(HealthCheckResult.FailedHealthChecks, await HealthProbe.CheckAsync(new LoopbackSockets(), plan, plan.Targets[0], TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    /// <summary>Accepts one connection, reads the request and answers <paramref name="statusLine"/> after <paramref name="delay"/>, or nothing (until the listener stops).</summary>
    private static async Task AnswerOnceAsync(TcpListener listener, string? statusLine, TimeSpan delay = default)
    {
        try
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            if (statusLine is null)
            {
                // Silence: hold the connection until the probe gives up and closes it.
                _ = await stream.ReadAsync(buffer);
                return;
            }

            await Task.Delay(delay);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(statusLine + "\r\nContent-Length: 0\r\n\r\n"));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The probe closed first.
        }
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

        public Socket OpenTcpClient(HostPlan eni) => throw new NotSupportedException();

        public Socket OpenTcpListener(IPAddress address, int port, int backlog = 512) => throw new NotSupportedException();

        public Socket OpenTcpListener(HostPlan eni, int port, int backlog = 512) => throw new NotSupportedException();

        public Socket OpenUdpSocket(IPAddress address, int port) => throw new NotSupportedException();

        public Socket OpenUdpSocket(HostPlan eni, int port) => throw new NotSupportedException();

        public Socket OpenTransparentTcpClient(IPAddress eni, IPEndPoint source) => throw new NotSupportedException();

        public HostPlan EniAt(string vpcId, IPAddress address) => throw new NotSupportedException();

        public Socket CreateInNamespace(string namespaceName, Func<Socket> create) => throw new NotSupportedException();
    }
}
