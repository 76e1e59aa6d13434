using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Model.Security;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// One VPC (10.50.0.0/16, two subnets) with the seeds' two load balancer shapes: a private network load balancer in
/// front of two web instances (the VPC-link article), and an internal application load balancer with a custom name
/// and certificate in front of two IP targets checked over HTTPS at <c>/test/hello</c> with matcher <c>200,403</c>
/// (the private-DNS article), and <c>/web/*</c> to the web instances' HTTP/1.0 servers; <c>/routed</c> goes to the second IP
/// target with an <c>X-Channel: beta*</c> header, to the first with a <c>target=one</c> query parameter;
/// <c>/weighted</c> spreads over a group of each IP target by equal weights, and never to the refusing group of weight 0;
/// <c>/sticky</c> does the same with target group stickiness; <c>/maintenance</c> and <c>/any?char</c> get fixed responses. The ALB's security group admits
/// only members of the client group. A third web instance stands in a third zone, where neither load balancer has a
/// subnet: the NLB's <see cref="ZonalPort"/> listener forwards to a group of it and the first web instance. A fourth,
/// beside the second, admits only the first subnet (where the NLB's first node is): the <see cref="PickyPort"/> listener
/// forwards to it and the first web instance. The <see cref="FailOpenPort"/> listener forwards to the first web instance
/// and, in the second zone, to a port of the second where nothing listens: that zone's node has no healthy target. The
/// <see cref="DrainPort"/> listener forwards to two ports of the first web instance (<see cref="WebPort"/> and the one
/// two above, where a test starts a second server). An echo instance, beside the first web instance, admits only the clients'
/// group on <see cref="WebPort"/> and the VPC on the port above, and its servers answer with the address they see:
/// <see cref="KeepIpPort"/> forwards to it as an instance target (client IP preserved by default), <see cref="NodeIpPort"/>
/// as an IP target (not preserved by default) and <see cref="IpKeepIpPort"/> as an IP target with
/// <c>preserve_client_ip.enabled</c> true. The picky group turns preservation off, so its fourth instance sees the nodes.
/// </summary>
public static class BalancerTopology
{
    public const string NlbArn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/web-nlb/0123456789abcdef";
    public const string AlbArn = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/api-alb/0123456789abcdef";
    public const string NlbDns = "web-nlb-0123456789.elb.eu-central-1.amazonaws.com";
    public const string AlbDns = "internal-api-alb-0123456789.eu-central-1.elb.amazonaws.com";
    public const string CustomName = "api.example.internal";
    public const string CertificateArn = "arn:aws:acm:eu-central-1:123456789012:certificate/0193a0a0-0000-7000-8000-000000000001";
    public const int WebPort = 8080;
    public const int ZonalPort = 82;
    public const int PickyPort = 83;
    public const int FailOpenPort = 84;
    public const int DrainPort = 85;
    public const int KeepIpPort = 86;
    public const int NodeIpPort = 87;
    public const int IpKeepIpPort = 88;

    public static CloudModel Build()
    {
        var allOut = ImmutableArray.Create(SecurityGroupRule.AllowAllEgress);
        var tg = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/";
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc("vpc-lb", "LbVpc", "10.50.0.0/16")],
            Subnets =
            [
                new Subnet("subnet-lb1", "Lb1", "vpc-lb", "10.50.1.0/24", "eu-central-1a"),
                new Subnet("subnet-lb2", "Lb2", "vpc-lb", "10.50.2.0/24", "eu-central-1b"),
                new Subnet("subnet-lb3", "Lb3", "vpc-lb", "10.50.3.0/24", "eu-central-1c"),
            ],
            RouteTables = [new RouteTable("rtb-lb", "LbRoutes", "vpc-lb", [], ["subnet-lb1", "subnet-lb2", "subnet-lb3"])],
            SecurityGroups =
            [
                new SecurityGroup("sg-web", "WebSg", "vpc-lb", "web", "web servers", [new SecurityGroupRule("tcp", WebPort, WebPort + 2, "10.50.0.0/16")], allOut),
                new SecurityGroup("sg-api", "ApiSg", "vpc-lb", "api", "IP targets", [new SecurityGroupRule("tcp", 443, 443, ReferencedGroupId: "sg-alb")], allOut),
                new SecurityGroup("sg-alb", "AlbSg", "vpc-lb", "alb", "the ALB", [new SecurityGroupRule("tcp", 443, 443, ReferencedGroupId: "sg-client"), new SecurityGroupRule("tcp", 80, 80, ReferencedGroupId: "sg-client")], allOut),
                new SecurityGroup("sg-client", "ClientSg", "vpc-lb", "client", "clients", [], allOut),
                new SecurityGroup("sg-other", "OtherSg", "vpc-lb", "other", "not a client", [], allOut),
                new SecurityGroup("sg-picky", "PickySg", "vpc-lb", "picky", "admits the first subnet only", [new SecurityGroupRule("tcp", WebPort, WebPort, "10.50.1.0/24")], allOut),
                new SecurityGroup("sg-echo", "EchoSg", "vpc-lb", "echo", "admits the clients' group on the web port, the VPC on the next",
                    [new SecurityGroupRule("tcp", WebPort, WebPort, ReferencedGroupId: "sg-client"), new SecurityGroupRule("tcp", WebPort + 1, WebPort + 1, "10.50.0.0/16")], allOut),
            ],
            Instances =
            [
                new Instance("i-web1", "Web1", "subnet-lb1", "10.50.1.11", ["sg-web"], "web1"),
                new Instance("i-web2", "Web2", "subnet-lb2", "10.50.2.11", ["sg-web"], "web2"),
                new Instance("i-web3", "Web3", "subnet-lb3", "10.50.3.11", ["sg-web"], "web3"),
                new Instance("i-web4", "Web4", "subnet-lb2", "10.50.2.12", ["sg-picky"], "web4"),
                new Instance("i-api1", "Api1", "subnet-lb1", "10.50.1.40", ["sg-api"], "api1"),
                new Instance("i-api2", "Api2", "subnet-lb2", "10.50.2.40", ["sg-api"], "api2"),
                new Instance("i-echo", "Echo", "subnet-lb1", "10.50.1.13", ["sg-echo"], "echo"),
                new Instance("i-client", "Client", "subnet-lb1", "10.50.1.20", ["sg-client"], "client"),
                new Instance("i-other", "Other", "subnet-lb2", "10.50.2.30", ["sg-other"], "other"),
            ],
            LoadBalancers =
            [
                new LoadBalancer(NlbArn, "WebNlb", "web-nlb", LoadBalancerType.Network, true, ["subnet-lb1", "subnet-lb2"], [], NlbDns),
                new LoadBalancer(AlbArn, "ApiAlb", "api-alb", LoadBalancerType.Application, true, ["subnet-lb1", "subnet-lb2"], ["sg-alb"], AlbDns),
            ],
            TargetGroups =
            [
                new TargetGroup(tg + "web/1", "WebTargets", "web", "TCP", WebPort, "vpc-lb", "instance", ["i-web1", "i-web2"],
                    new HealthCheck("HTTP", "/health", "traffic-port", "200-399", 1, 2, 2)),
                new TargetGroup(tg + "api/2", "ApiTargets", "api", "HTTPS", 443, "vpc-lb", "ip", ["10.50.1.40", "10.50.2.40"],
                    new HealthCheck("HTTPS", "/test/hello", "traffic-port", "200,403", 1, 2, 2)),
                new TargetGroup(tg + "empty/4", "EmptyTargets", "empty", "HTTP", 80, "vpc-lb", "ip", [],
                    new HealthCheck("HTTP", "/", "traffic-port", "200", 1, 2, 2)),
                new TargetGroup(tg + "dead/5", "DeadTargets", "dead", "HTTP", WebPort + 1, "vpc-lb", "ip", ["10.50.1.11"],
                    new HealthCheck("HTTP", "/", "traffic-port", "200", 1, 2, 2)),
                new TargetGroup(tg + "v2/3", "V2Targets", "v2", "HTTPS", 443, "vpc-lb", "ip", ["10.50.2.40"],
                    new HealthCheck("HTTPS", "/test/hello", "traffic-port", "200,403", 1, 2, 2)),
                new TargetGroup(tg + "webhttp/6", "WebHttpTargets", "webhttp", "HTTP", WebPort, "vpc-lb", "instance", ["i-web1", "i-web2"],
                    new HealthCheck("HTTP", "/health", "traffic-port", "200-399", 1, 2, 2)),
                new TargetGroup(tg + "one/7", "OneTargets", "one", "HTTPS", 443, "vpc-lb", "ip", ["10.50.1.40"],
                    new HealthCheck("HTTPS", "/test/hello", "traffic-port", "200,403", 1, 2, 2)),
                new TargetGroup(tg + "zonal/8", "ZonalTargets", "zonal", "TCP", WebPort, "vpc-lb", "instance", ["i-web3", "i-web1"],
                    new HealthCheck("HTTP", "/health", "traffic-port", "200-399", 1, 2, 2)),
                new TargetGroup(tg + "picky/9", "PickyTargets", "picky", "TCP", WebPort, "vpc-lb", "instance", ["i-web4", "i-web1"],
                    new HealthCheck("HTTP", "/health", "traffic-port", "200-399", 1, 2, 2)) { Attributes = new TargetGroupAttributes(PreserveClientIp: false) },
                new TargetGroup(tg + "failopen/10", "FailOpenTargets", "failopen", "TCP", WebPort, "vpc-lb", "ip", ["10.50.1.11", $"10.50.2.11:{WebPort + 1}"],
                    new HealthCheck("TCP", null, "traffic-port", "200-399", 1, 2, 2)),
                new TargetGroup(tg + "keepip/12", "KeepIpTargets", "keepip", "TCP", WebPort, "vpc-lb", "instance", ["i-echo"],
                    new HealthCheck("TCP", null, (WebPort + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "200-399", 1, 2, 2)),
                new TargetGroup(tg + "nodeip/13", "NodeIpTargets", "nodeip", "TCP", WebPort + 1, "vpc-lb", "ip", ["10.50.1.13"],
                    new HealthCheck("TCP", null, "traffic-port", "200-399", 1, 2, 2)),
                new TargetGroup(tg + "ipkeep/14", "IpKeepTargets", "ipkeep", "TCP", WebPort + 1, "vpc-lb", "ip", ["10.50.1.13"],
                    new HealthCheck("TCP", null, "traffic-port", "200-399", 1, 2, 2)) { Attributes = new TargetGroupAttributes(PreserveClientIp: true) },
                new TargetGroup(tg + "drain/11", "DrainTargets", "drain", "TCP", WebPort, "vpc-lb", "ip", [$"10.50.1.11:{WebPort + 2}", "10.50.1.11"],
                    new HealthCheck("TCP", null, "traffic-port", "200-399", 1, 2, 2)),
            ],
            Listeners =
            [
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/1", "WebListener", NlbArn, "TCP", 80, [], ForwardAction.To(tg + "web/1")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/3", "WebTlsListener", NlbArn, "TLS", 443, [CertificateArn], ForwardAction.To(tg + "web/1")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/5", "ZonalListener", NlbArn, "TCP", ZonalPort, [], ForwardAction.To(tg + "zonal/8")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/6", "PickyListener", NlbArn, "TCP", PickyPort, [], ForwardAction.To(tg + "picky/9")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/7", "FailOpenListener", NlbArn, "TCP", FailOpenPort, [], ForwardAction.To(tg + "failopen/10")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/8", "DrainListener", NlbArn, "TCP", DrainPort, [], ForwardAction.To(tg + "drain/11")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/9", "KeepIpListener", NlbArn, "TCP", KeepIpPort, [], ForwardAction.To(tg + "keepip/12")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/10", "NodeIpListener", NlbArn, "TCP", NodeIpPort, [], ForwardAction.To(tg + "nodeip/13")),
                new Listener(NlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/11", "IpKeepIpListener", NlbArn, "TCP", IpKeepIpPort, [], ForwardAction.To(tg + "ipkeep/14")),
                new Listener(AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", "ApiListener", AlbArn, "HTTPS", 443, [CertificateArn], ForwardAction.To(tg + "api/2")),
                new Listener(AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/4", "RedirectListener", AlbArn, "HTTP", 80, [],
                    RedirectAction.Defaults(301) with { Protocol = "HTTPS", Port = "443" }),
            ],
            ListenerRules =
            [
                new ListenerRule("rule-v2", "V2Rule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 10,
                    [new RuleCondition("path-pattern", ["/v2/*"]), new RuleCondition("host-header", [CustomName])], ForwardAction.To(tg + "v2/3")),
                new ListenerRule("rule-empty", "EmptyRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 20,
                    [new RuleCondition("path-pattern", ["/empty"])], ForwardAction.To(tg + "empty/4")),
                new ListenerRule("rule-dead", "DeadRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 30,
                    [new RuleCondition("path-pattern", ["/dead"])], ForwardAction.To(tg + "dead/5")),
                new ListenerRule("rule-web", "WebRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 40,
                    [new RuleCondition("path-pattern", ["/web/*"])], ForwardAction.To(tg + "webhttp/6")),
                new ListenerRule("rule-maintenance", "MaintenanceRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 50,
                    [new RuleCondition("path-pattern", ["/maintenance"])], new FixedResponseAction(503, "text/plain", "down for maintenance")),
                new ListenerRule("rule-one-character", "OneCharacterRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 55,
                    [new RuleCondition("path-pattern", ["/any?char"])], new FixedResponseAction(200, "text/plain", "one character")),
                new ListenerRule("rule-header", "HeaderRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 60,
                    [new RuleCondition("path-pattern", ["/routed"]), new RuleCondition("http-header", ["beta*"]) { HttpHeaderName = "X-Channel" }], ForwardAction.To(tg + "v2/3")),
                new ListenerRule("rule-query", "QueryRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 70,
                    [new RuleCondition("path-pattern", ["/routed"]), new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("target", "one")] }], ForwardAction.To(tg + "one/7")),
                new ListenerRule("rule-weighted", "WeightedRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 80,
                    [new RuleCondition("path-pattern", ["/weighted"])],
                    new ForwardAction([new(tg + "one/7", 1), new(tg + "v2/3", 1), new(tg + "dead/5", 0)])),
                new ListenerRule("rule-sticky", "StickyRule", AlbArn.Replace("loadbalancer", "listener", StringComparison.Ordinal) + "/2", 90,
                    [new RuleCondition("path-pattern", ["/sticky"])],
                    new ForwardAction([new(tg + "one/7", 1), new(tg + "v2/3", 1)], StickinessSeconds: 60)),
            ],
            Certificates = [new Certificate(CertificateArn, "ApiCertificate", CustomName, [])],
        };
    }
}
