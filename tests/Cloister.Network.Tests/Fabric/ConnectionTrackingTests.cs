using System.Net;
using System.Net.Sockets;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// EC2's security group connection tracking under live rule changes ("Untracked connections"): a TCP or UDP flow admitted by a
/// rule for 0.0.0.0/0 while the other direction admits every port to 0.0.0.0/0 is not tracked, so removing either rule
/// cuts it at once; a tracked flow (any narrower rule) flows on. A1's group (sg-web) sends everything to 0.0.0.0/0.
/// </summary>
public sealed class ConnectionTrackingTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Port = 7102;

    [Fact]
    public async Task ApplyAsync_AllTrafficRuleRemovedUnderAnUntrackedConnection_CutsIt()
    {
        var open = WithWeb(fixture.Sandbox.Model, [new SecurityGroupRule("tcp", Port, Port, "0.0.0.0/0")], null);
        var (before, after) = await ChangeUnderAConnectionAsync(open, fixture.Sandbox.Model);

        Assert.True(before, "the untracked connection did not carry data before the change");
        Assert.False(after.Forward, "the untracked connection outlived the rule that admitted it");
    }

    [Fact]
    public async Task ApplyAsync_AllTrafficRuleRemovedWhereEgressIsNotOpenToEveryPort_TheTrackedConnectionFlowsOn()
    {
        // The egress rule covers every port but not 0.0.0.0/0: the flow is tracked, and outlives its rule.
        var model = fixture.Sandbox.Model;
        var narrowOut = ImmutableArrayOf(new SecurityGroupRule("tcp", 0, 65535, "10.0.0.0/8"));
        var open = WithWeb(model, [new SecurityGroupRule("tcp", Port, Port, "0.0.0.0/0")], narrowOut);
        var (before, after) = await ChangeUnderAConnectionAsync(open, WithWeb(model, [], narrowOut));

        Assert.True(before);
        Assert.True(after.Forward, "the tracked connection was cut");
        Assert.True(after.Back, "the tracked connection's answers were cut");
    }

    [Fact]
    public async Task ApplyAsync_OpenEgressRemovedUnderAnUntrackedConnection_CutsItsAnswersOnly()
    {
        // An untracked flow's answers are admitted by the rule for them, not by tracking: without it they stop, while the
        // requests, still admitted by the ingress rule, go on arriving.
        var model = fixture.Sandbox.Model;
        var ingress = new SecurityGroupRule("tcp", Port, Port, "0.0.0.0/0");
        var (before, after) = await ChangeUnderAConnectionAsync(WithWeb(model, [ingress], null), WithWeb(model, [ingress], ImmutableArrayOf()));

        Assert.True(before);
        Assert.True(after.Forward, "the requests stopped though the ingress rule still admits them");
        Assert.False(after.Back, "the untracked connection's answers outlived the egress rule that admitted them");
    }

    [Fact]
    public async Task ApplyAsync_AllTrafficUdpRuleRemovedUnderAnUntrackedFlow_StopsItsNextDatagram()
    {
        // UDP as TCP: the same client socket (one flow) is answered before the change and not after it, where a tracked
        // flow would go on for as long as its datagrams keep it alive.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a1, b1) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!);
        await using var echo = TrafficProbe.Listen(sandbox, [a1], [], Port);
        using var client = sandbox.OpenUdpSocket(IPAddress.Parse(b1.Address), 0);
        try
        {
            await sandbox.ApplyAsync(WithWeb(original, [new SecurityGroupRule("udp", Port, Port, "0.0.0.0/0")], null));
            var before = await EchoedAsync(client, a1);
            await sandbox.ApplyAsync(original);
            var after = await EchoedAsync(client, a1);

            Assert.True(before, "the untracked flow was not answered before the change");
            Assert.False(after, "the untracked flow outlived the rule that admitted it");
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }

    private static async Task<bool> EchoedAsync(Socket client, HostPlan to)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var buffer = new byte[16];
        try
        {
            await client.SendToAsync("ping"u8.ToArray(), new IPEndPoint(IPAddress.Parse(to.Address), Port), deadline.Token);
            var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
            return received.ReceivedBytes == 4;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Under <paramref name="first"/>, opens a connection from B1 to A1 and checks it carries data both ways; then applies
    /// <paramref name="second"/> and checks each way again; puts the model of before back whatever happened.
    /// </summary>
    private async Task<(bool Before, (bool Forward, bool Back) After)> ChangeUnderAConnectionAsync(CloudModel first, CloudModel second)
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a1, b1) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!);
        try
        {
            await sandbox.ApplyAsync(first);
            using var listener = sandbox.OpenTcpListener(IPAddress.Parse(a1.Address), Port);
            var (client, server) = await LiveChanges.ConnectAsync(sandbox, b1, listener);
            using (client)
            using (server)
            {
                var before = await LiveChanges.DeliversAsync(client, server) && await LiveChanges.DeliversAsync(server, client);
                await sandbox.ApplyAsync(second);
                var back = await LiveChanges.DeliversAsync(server, client);
                var forward = await LiveChanges.DeliversAsync(client, server);
                return (before, (forward, back));
            }
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }

    private static System.Collections.Immutable.ImmutableArray<SecurityGroupRule> ImmutableArrayOf(params SecurityGroupRule[] rules) => [.. rules];

    /// <summary>The model with sg-web's ingress extended by <paramref name="ingress"/> and its egress replaced by <paramref name="egress"/> when given.</summary>
    private static CloudModel WithWeb(CloudModel model, SecurityGroupRule[] ingress, System.Collections.Immutable.ImmutableArray<SecurityGroupRule>? egress) => model with
    {
        SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = g.Ingress.AddRange(ingress), Egress = egress ?? g.Egress } : g)],
    };
}
