using System.Net.Sockets;
using System.Text;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// Deregistration through a model update: the removed target is <c>draining</c> for its group's
/// <c>deregistration_delay.timeout_seconds</c> (set short here): new connections and requests avoid it at once, those
/// already relayed go on; when the delay ends an application load balancer cuts its requests in flight and a network
/// load balancer resets its connections only with <c>deregistration_delay.connection_termination.enabled</c>.
/// </summary>
public sealed partial class LoadBalancerServiceTests
{
    private const int DelaySeconds = 4;

    [Fact]
    public async Task Nlb_TargetDeregisteredWithConnectionTermination_NewConnectionsAvoidItOpenOnesWorkThenAreResetAfterTheDelay()
    {
        var after = await DeregisterNlbTargetAsync(terminate: true);

        Assert.DoesNotContain("web1-drain", after);
        Assert.Contains(after, a => a is "reset" or "closed");
        Assert.Contains("web1", after);
    }

    [Fact]
    public async Task Nlb_TargetDeregisteredWithoutConnectionTermination_ItsOpenConnectionsOutliveTheDelay()
    {
        var after = await DeregisterNlbTargetAsync(terminate: false);

        Assert.Contains("web1-drain", after);
        Assert.DoesNotContain(after, a => a is "reset" or "closed");
    }

    [Fact]
    public async Task Alb_TargetDeregistered_NewRequestsAvoidItInFlightOnesFinishWithinTheDelayAndAreCutAfterIt()
    {
        var model = fixture.Sandbox.Model;
        var api = model.TargetGroups.Single(g => g.Name == "api");
        var delayed = api with { Attributes = api.Attributes with { DeregistrationDelaySeconds = DelaySeconds } };
        var removed = "10.50.2.40:443";
        try
        {
            await fixture.Balancers.UpdateAsync(WithGroup(model, delayed));
            Assert.True(await ApiTargetsHealthyAsync());

            // Round robin spreads each batch of four over both targets: two requests to each would outlast the delay,
            // two to each end within it.
            var lasting = Enumerable.Range(0, 4).Select(_ => CurlAsync("client", AlbNodes[0], "/slow/8000", "--max-time", "30")).ToList();
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.SlowRequestsInFlight(8000) == 4, Settle));
            var brief = Enumerable.Range(0, 4).Select(_ => CurlAsync("client", AlbNodes[0], "/slow/1500", "--max-time", "30")).ToList();
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.SlowRequestsInFlight(1500) == 4, Settle));

            await fixture.Balancers.UpdateAsync(WithGroup(model, delayed with { Targets = ["10.50.1.40"] }));
            var fresh = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                fresh.Add(await RoutedBodyAsync("/orders"));
            }

            var finished = await Task.WhenAll(brief);
            Assert.Equal(TargetHealthState.Draining, fixture.StateOf("api", removed));
            var cut = await Task.WhenAll(lasting);

            Assert.All(fresh, b => Assert.StartsWith("api1 /orders", b, StringComparison.Ordinal));
            Assert.All(finished, r => Assert.Equal(200, r.Status));
            Assert.Contains(finished, r => r.Body.StartsWith("api2 /slow/1500", StringComparison.Ordinal));
            Assert.Equal([200, 200, 502, 502], cut.Select(r => r.Status).Order());
            Assert.All(cut.Where(r => r.Status == 200), r => Assert.StartsWith("api1 /slow/8000", r.Body, StringComparison.Ordinal));
            Assert.Null(fixture.StateOf("api", removed));
        }
        finally
        {
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    private static CloudModel WithGroup(CloudModel model, TargetGroup group) =>
        model with { TargetGroups = [.. model.TargetGroups.Select(g => g.Id == group.Id ? group : g)] };

    /// <summary>
    /// Connections to the drain listener's two targets (web1's server and a second one on another port) left waiting
    /// mid-request; then the second target is deregistered. New connections made at once must all reach web1, and half
    /// the waiting connections, finishing their request during the delay, the second target too. The others finish
    /// after the delay: what each got ("reset" or "closed" when the load balancer ended it).
    /// </summary>
    private async Task<List<string>> DeregisterNlbTargetAsync(bool terminate)
    {
        var port = BalancerTopology.WebPort + 2;
        var removed = $"10.50.1.11:{port}";
        var model = fixture.Sandbox.Model;
        var drain = model.TargetGroups.Single(g => g.Name == "drain");
        var delayed = drain with { Attributes = drain.Attributes with { DeregistrationDelaySeconds = DelaySeconds, TerminateOnDeregistration = terminate } };
        var sockets = new List<Socket>();
        fixture.StartWebServer("web1", port, "web1-drain");
        try
        {
            await fixture.Balancers.UpdateAsync(WithGroup(model, delayed));
            Assert.True(await BalancerFixture.EventuallyAsync(
                () => fixture.EveryNodeSees("drain", removed, TargetHealthState.Healthy) && fixture.EveryNodeSees("drain", $"10.50.1.11:{BalancerTopology.WebPort}", TargetHealthState.Healthy),
                Settle));
            await OpenWaitingConnectionsAsync(sockets, 24);

            // Accepted by the kernel is not yet relayed: a node picks each connection's target when it takes the
            // connection up, and one taken up after the update below could no longer pick the removed target.
            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.Balancers.ConnectionCount(drain.Id) == sockets.Count, Settle));

            await fixture.Balancers.UpdateAsync(WithGroup(model, delayed with { Targets = ["10.50.1.11"] }));
            Assert.All(await NlbRequestsAsync(8, NlbNodes[0], BalancerTopology.DrainPort), name => Assert.Equal("web1", name));
            var during = await Task.WhenAll(sockets[..12].Select(s => FinishRequestAsync(s)));
            Assert.Equal(TargetHealthState.Draining, fixture.StateOf("drain", removed));
            Assert.Contains("web1-drain", during);

            Assert.True(await BalancerFixture.EventuallyAsync(() => fixture.StateOf("drain", removed) is null, Settle));
            return [.. await Task.WhenAll(sockets[12..].Select(s => FinishRequestAsync(s)))];
        }
        finally
        {
            // The server stops first: registered again, its target is checked afresh, never left healthy but gone.
            sockets.ForEach(s => s.Dispose());
            fixture.StopWebServer("web1-drain");
            await fixture.Balancers.UpdateAsync(model);
        }
    }

    /// <summary>
    /// Ends the request a connection left open (or sends <paramref name="rest"/>, a whole request on a connection that
    /// sent nothing yet): the body that comes back, or how the connection ended.
    /// </summary>
    private static async Task<string> FinishRequestAsync(Socket socket, string rest = "\r\n")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(rest), timeout.Token);
            using var reader = new StreamReader(new NetworkStream(socket), Encoding.ASCII);
            var response = await reader.ReadToEndAsync(timeout.Token);
            return response.Length == 0 ? "closed" : response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return "reset";
        }
    }
}
