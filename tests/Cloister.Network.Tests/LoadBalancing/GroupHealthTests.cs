using System.Net;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>A target group's health across updates: connections stay watched, removed targets drain for the group's delay.</summary>
public sealed class GroupHealthTests
{
    private static readonly IPAddress Node = IPAddress.Parse("10.0.1.5");
    private static readonly IPEndPoint A = new(IPAddress.Parse("10.0.1.1"), 80);
    private static readonly IPEndPoint B = new(IPAddress.Parse("10.0.1.2"), 80);
    private static readonly IPEndPoint C = new(IPAddress.Parse("10.0.1.3"), 80);

    [Fact]
    public void Track_TargetKeptByAnUpdate_ItsConnectionStillEndsWhenItTurnsUnhealthy()
    {
        var before = Healthy(Group("TCP", new TargetGroupAttributes(), A, B), previous: null);
        var ended = new List<string>();
        using var toA = before.ByNode[Node].Track(A, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("a"));

        var after = new GroupHealth(before.Plan, before, TimeProvider.System, NullLogger.Instance);
        after.ByNode[Node].Record(0, HealthCheckResult.FailedHealthChecks);

        Assert.Equal(["a"], ended);
    }

    [Fact]
    public void Track_OnTheViewAnUpdateReplaced_GoesToItsTargetsNewViewOrDraining()
    {
        // A connection that picked its target from the state read just before an update is tracked just after it.
        var attributes = new TargetGroupAttributes(DeregistrationDelaySeconds: 0, TerminateOnDeregistration: true);
        var before = Healthy(Group("TCP", attributes, A, B), previous: null);
        var after = new GroupHealth(Group("TCP", attributes, A, C), before, TimeProvider.System, NullLogger.Instance);
        after.ByNode[Node].Record(1, HealthCheckResult.Passed);
        var ended = new List<string>();

        using var toB = before.ByNode[Node].Track(B, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("b"));
        using var toA = before.ByNode[Node].Track(A, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("a"));
        Assert.Equal(["b"], ended);
        after.ByNode[Node].Record(0, HealthCheckResult.FailedHealthChecks);

        Assert.Equal(["b", "a"], ended);
    }

    [Theory]
    [InlineData("TCP", false, false)]
    [InlineData("TCP", true, true)]
    [InlineData("HTTP", false, true)]
    public async Task GroupHealth_TargetRemovedByAnUpdate_DrainsForTheDelayThenEndsItsConnectionsWhereElbDoes(string protocol, bool terminate, bool ends)
    {
        var attributes = new TargetGroupAttributes(DeregistrationDelaySeconds: 1, TerminateOnDeregistration: terminate);
        var before = Healthy(Group(protocol, attributes, A, B), previous: null);
        var ended = new List<string>();
        using var toB = before.ByNode[Node].Track(B, "eu-central-1a", endsWhenUnhealthy: protocol == "TCP", () => ended.Add("b"));

        var after = new GroupHealth(Group(protocol, attributes, A), before, TimeProvider.System, NullLogger.Instance);

        Assert.Equal(new[] { A }, after.ByNode[Node].Routable.ToArray());
        Assert.Contains(new TargetHealthDescription("tg", B.ToString(), TargetHealthState.Draining, "Target.DeregistrationInProgress"), after.Describe());
        Assert.Empty(ended);
        Assert.True(await BalancerFixture.EventuallyAsync(() => after.Describe().All(d => d.State != TargetHealthState.Draining), TimeSpan.FromSeconds(10)));
        Assert.Equal(ends ? ["b"] : [], ended);
    }

    [Fact]
    public void GroupHealth_DelayZeroWithTermination_EndsTheRemovedTargetsConnectionsAtOnce()
    {
        var attributes = new TargetGroupAttributes(DeregistrationDelaySeconds: 0, TerminateOnDeregistration: true);
        var before = Healthy(Group("TCP", attributes, A, B), previous: null);
        var ended = new List<string>();
        using var toB = before.ByNode[Node].Track(B, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("b"));

        var after = new GroupHealth(Group("TCP", attributes, A), before, TimeProvider.System, NullLogger.Instance);

        Assert.Equal(["b"], ended);
        Assert.DoesNotContain(after.Describe(), d => d.State == TargetHealthState.Draining);
    }

    [Fact]
    public void GroupHealth_DrainingTargetRegisteredAgain_IsServedAndWatchedAgainNotEndedByTheDelay()
    {
        var attributes = new TargetGroupAttributes(DeregistrationDelaySeconds: 60, TerminateOnDeregistration: true);
        var both = Group("TCP", attributes, A, B);
        var before = Healthy(both, previous: null);
        var ended = new List<string>();
        using var toB = before.ByNode[Node].Track(B, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("b"));
        var removed = new GroupHealth(Group("TCP", attributes, A), before, TimeProvider.System, NullLogger.Instance);

        var again = new GroupHealth(both, removed, TimeProvider.System, NullLogger.Instance);

        Assert.True(removed.Draining.Single().Ended, "the draining is called off");
        Assert.DoesNotContain(again.Describe(), d => d.State == TargetHealthState.Draining);
        Assert.Empty(ended);
        again.ByNode[Node].Record(0, HealthCheckResult.Passed);
        again.ByNode[Node].Record(1, HealthCheckResult.FailedHealthChecks);
        Assert.Equal(["b"], ended);
    }

    [Fact]
    public void GroupHealth_AlbTargetRegisteredByAnUpdate_HealthyAfterOnePassingCheckNotTheHealthyThreshold()
    {
        // ELB: "After your target is registered, it must pass one health check to be considered healthy"; the healthy
        // threshold (5 here) is for a target that was unhealthy.
        static TargetGroupPlan Thresholds(TargetGroupPlan plan) =>
            plan with { Group = plan.Group with { HealthCheck = plan.Group.HealthCheck with { HealthyThreshold = 5, UnhealthyThreshold = 2 } } };
        var before = Healthy(Thresholds(Group("HTTP", new TargetGroupAttributes(), A)), previous: null);

        var after = new GroupHealth(Thresholds(Group("HTTP", new TargetGroupAttributes(), A, B)), before, TimeProvider.System, NullLogger.Instance);

        Assert.Contains(new TargetHealthDescription("tg", B.ToString(), TargetHealthState.Initial, "Elb.InitialHealthChecking"), after.Describe());
        Assert.Equal(new[] { A }, after.ByNode[Node].Routable.ToArray());
        Assert.Equal(TargetHealthState.Healthy, after.ByNode[Node].Record(1, HealthCheckResult.Passed));
        Assert.Equal(new[] { A, B }, after.ByNode[Node].Routable.ToArray());
        Assert.Null(after.ByNode[Node].Record(1, HealthCheckResult.FailedHealthChecks));
        Assert.Equal(TargetHealthState.Unhealthy, after.ByNode[Node].Record(1, HealthCheckResult.FailedHealthChecks));
        Assert.Null(after.ByNode[Node].Record(1, HealthCheckResult.Passed));
    }

    /// <summary>The group's health with every target passing its first check (from <paramref name="previous"/>, if any).</summary>
    private static GroupHealth Healthy(TargetGroupPlan plan, GroupHealth? previous)
    {
        var health = new GroupHealth(plan, previous, TimeProvider.System, NullLogger.Instance);
        for (var i = 0; i < plan.Targets.Length; i++)
        {
            health.ByNode[Node].Record(i, HealthCheckResult.Passed);
        }

        return health;
    }

    /// <summary>A group of <paramref name="targets"/>, all in one zone, checked by one node; healthy and unhealthy after one check.</summary>
    private static TargetGroupPlan Group(string protocol, TargetGroupAttributes attributes, params IPEndPoint[] targets) => new(
        new TargetGroup("tg", "Tg", "tg", protocol, 80, "vpc", "ip", [.. targets.Select(t => t.Address.ToString())], new HealthCheck(protocol, null, "traffic-port", "200-399", 5, 1, 1))
        {
            Attributes = attributes,
        },
        [.. targets],
        Node,
        [Node],
        null,
        HealthMatcher.Parse("200-399", []),
        [.. targets.Select(_ => (string?)"eu-central-1a")],
        [.. targets.Select(_ => true)]);
}
