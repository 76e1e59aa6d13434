using Cloister.Host.Fabric;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;

namespace Cloister.Host.Tests.Fabric;

/// <summary>Which load balancers a Route 53 alias with <c>EvaluateTargetHealth</c> finds unhealthy, as the resolver is told every second.</summary>
public sealed class LoadBalancerDnsFailoverTests
{
    private const string AlbName = "internal-app-1234567890.eu-central-1.elb.amazonaws.com";
    private const string NlbName = "net-0123456789.elb.eu-central-1.amazonaws.com";

    private static CloudModel Model() => new()
    {
        LoadBalancers =
        [
            new LoadBalancer("arn:alb", "Alb", "app", LoadBalancerType.Application, true, [], [], AlbName),
            new LoadBalancer("arn:nlb", "Nlb", "net", LoadBalancerType.Network, true, [], [], NlbName),
        ],
        Listeners =
        [
            new Listener("arn:alb-listener", "AlbListener", "arn:alb", "HTTP", 80, [], ForwardAction.To("arn:tg-web")),
            new Listener("arn:nlb-listener", "NlbListener", "arn:nlb", "TCP", 443, [], ForwardAction.To("arn:tg-tcp")),
        ],
        ListenerRules = [new ListenerRule("arn:rule", "Rule", "arn:alb-listener", 1, [], ForwardAction.To("arn:tg-api"))],
    };

    [Fact]
    public void WithoutHealthyTarget_RuleTargetGroupWithOnlyUnhealthyTargets_ItsBalancerOnly()
    {
        var names = LoadBalancerDnsFailover.WithoutHealthyTarget(Model(),
        [
            new TargetHealthDescription("arn:tg-web", "10.0.1.10:80", TargetHealthState.Healthy, null),
            new TargetHealthDescription("arn:tg-api", "10.0.1.11:80", TargetHealthState.Unhealthy, "Target.FailedHealthChecks"),
            new TargetHealthDescription("arn:tg-tcp", "10.0.1.12:443", TargetHealthState.Unhealthy, "Target.FailedHealthChecks"),
            new TargetHealthDescription("arn:tg-tcp", "10.0.2.12:443", TargetHealthState.Healthy, null),
        ]);

        Assert.Equal([AlbName], names);
    }

    [Fact]
    public void WithoutHealthyTarget_EveryForwardedGroupHasAHealthyTarget_None()
    {
        var names = LoadBalancerDnsFailover.WithoutHealthyTarget(Model(),
        [
            new TargetHealthDescription("arn:tg-web", "10.0.1.10:80", TargetHealthState.Healthy, null),
            new TargetHealthDescription("arn:tg-api", "10.0.1.11:80", TargetHealthState.Healthy, null),
            new TargetHealthDescription("arn:tg-tcp", "10.0.1.12:443", TargetHealthState.Healthy, null),
        ]);

        Assert.Empty(names);
    }
}
