using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Dns;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// One VPC (10.60.0.0/16) with a subnet in each of two zones and a target instance in each, behind a private network
/// load balancer (TCP, health-checked over TCP) and an internal application load balancer (HTTP) with nodes in both
/// subnets; a private hosted zone of the VPC holds aliases to the network load balancer's name and its
/// <c>dualstack.</c> form. The tests start the load balancers, the resolver and the targets' servers themselves.
/// </summary>
public sealed class DnsFailoverFixture() : SandboxFixture(Build)
{
    public const string VpcId = "vpc-dnsfo";
    public const string NlbDns = "dnsfo-nlb-0123456789.elb.eu-central-1.amazonaws.com";
    public const string AlbDns = "internal-dnsfo-alb-0123456789.eu-central-1.elb.amazonaws.com";
    public const string NlbAlias = "nlb.corp.internal";
    public const string DualstackAlias = "dualstack-nlb.corp.internal";
    public const int TargetPort = 8080;
    public static readonly string[] Targets = ["10.60.1.11", "10.60.2.11"];

    public static CloudModel Build()
    {
        var allOut = ImmutableArray.Create(SecurityGroupRule.AllowAllEgress);
        const string Elb = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:";
        const string ElbZoneId = "Z215JYRZR1TBD5";
        var check = new HealthCheck("TCP", null, "traffic-port", "200-399", 1, 2, 2);
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc(VpcId, "DnsFoVpc", "10.60.0.0/16", EnableDnsHostnames: true)],
            Subnets =
            [
                new Subnet("subnet-dnsfo1", "DnsFo1", VpcId, "10.60.1.0/24", "eu-central-1a"),
                new Subnet("subnet-dnsfo2", "DnsFo2", VpcId, "10.60.2.0/24", "eu-central-1b"),
            ],
            RouteTables = [new RouteTable("rtb-dnsfo", "DnsFoRoutes", VpcId, [], ["subnet-dnsfo1", "subnet-dnsfo2"])],
            SecurityGroups =
            [
                new SecurityGroup("sg-dnsfo-target", "TargetSg", VpcId, "target", "targets", [new SecurityGroupRule("tcp", TargetPort, TargetPort, "10.60.0.0/16")], allOut),
                new SecurityGroup("sg-dnsfo-alb", "AlbSg", VpcId, "alb", "the ALB", [new SecurityGroupRule("tcp", 80, 80, "10.60.0.0/16")], allOut),
            ],
            Instances =
            [
                new Instance("i-dnsfo1", "Target1", "subnet-dnsfo1", Targets[0], ["sg-dnsfo-target"], "target1"),
                new Instance("i-dnsfo2", "Target2", "subnet-dnsfo2", Targets[1], ["sg-dnsfo-target"], "target2"),
            ],
            LoadBalancers =
            [
                new LoadBalancer(Elb + "loadbalancer/net/dnsfo-nlb/1", "Nlb", "dnsfo-nlb", LoadBalancerType.Network, true, ["subnet-dnsfo1", "subnet-dnsfo2"], [], NlbDns),
                new LoadBalancer(Elb + "loadbalancer/app/dnsfo-alb/2", "Alb", "dnsfo-alb", LoadBalancerType.Application, true, ["subnet-dnsfo1", "subnet-dnsfo2"], ["sg-dnsfo-alb"], AlbDns),
            ],
            TargetGroups =
            [
                new TargetGroup(Elb + "targetgroup/tcp/1", "TcpTargets", "tcp", "TCP", TargetPort, VpcId, "instance", ["i-dnsfo1", "i-dnsfo2"], check),
                new TargetGroup(Elb + "targetgroup/http/2", "HttpTargets", "http", "HTTP", TargetPort, VpcId, "instance", ["i-dnsfo1", "i-dnsfo2"], check with { Protocol = "HTTP", Path = "/" }),
            ],
            Listeners =
            [
                new Listener(Elb + "listener/net/dnsfo-nlb/1/1", "NlbListener", Elb + "loadbalancer/net/dnsfo-nlb/1", "TCP", 80, [], ForwardAction.To(Elb + "targetgroup/tcp/1")),
                new Listener(Elb + "listener/app/dnsfo-alb/2/2", "AlbListener", Elb + "loadbalancer/app/dnsfo-alb/2", "HTTP", 80, [], ForwardAction.To(Elb + "targetgroup/http/2")),
            ],
            HostedZones =
            [
                new HostedZone("Z0DNSFO", "Zone", "corp.internal.", true, [VpcId],
                [
                    new RecordSet(NlbAlias, "A", 0, [], new AliasTarget(NlbDns, ElbZoneId)),
                    new RecordSet(DualstackAlias, "A", 0, [], new AliasTarget($"dualstack.{NlbDns}", ElbZoneId)),
                ]),
            ],
        };
    }
}
