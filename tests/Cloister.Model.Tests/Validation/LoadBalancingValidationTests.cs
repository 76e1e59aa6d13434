using System.Collections.Immutable;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Model.Validation;

namespace Cloister.Model.Tests.Validation;

public sealed class LoadBalancingValidationTests
{
    private static readonly Vpc Vpc = new("vpc-00000000000000001", "Vpc", "10.0.0.0/16");
    private static readonly Subnet SubnetA = new("subnet-00000000000000001", "A", Vpc.Id, "10.0.1.0/24", "eu-central-1a");
    private static readonly Subnet SubnetB = new("subnet-00000000000000002", "B", Vpc.Id, "10.0.2.0/24", "eu-central-1b");
    private static readonly HealthCheck Check = new("HTTP", "/", "traffic-port", "200", 30, 5, 2);

    [Fact]
    public void Validate_ConsistentLoadBalancers_IsValid()
    {
        var result = ModelValidator.Validate(Model());

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Validate_ActionsOfTheirOwn_NeedNoTargetGroupButOnlyOnApplicationLoadBalancers()
    {
        var model = Model() with
        {
            Listeners =
            [
                .. Model().Listeners,
                new Listener("l-redirect", "Redirect", "alb", "HTTP", 8080, [], RedirectAction.Defaults(301) with { Port = "80" }),
                new Listener("l-fixed", "FixedOnNlb", "nlb", "TCP", 81, [], new FixedResponseAction(200, null, null)),
            ],
            ListenerRules = [.. Model().ListenerRules, new ListenerRule("r-fixed", "Fixed", "l-http", 20, [], new FixedResponseAction(404, "text/plain", "no"))],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(["FixedOnNlb.DefaultActions"], problems);
    }

    [Fact]
    public void Validate_BrokenLoadBalancing_ReportsEveryProblem()
    {
        var model = Model() with
        {
            LoadBalancers = [.. Model().LoadBalancers, new LoadBalancer("alb2", "OneZoneAlb", "one", LoadBalancerType.Application, true, [SubnetA.Id], ["sg-missing"], "one.example")],
            TargetGroups = [.. Model().TargetGroups, new TargetGroup("tg-x", "Ghosts", "ghosts", "HTTP", 80, Vpc.Id, "lambda", ["i-missing"], Check)],
            Listeners = [.. Model().Listeners, new Listener("l-tcp", "TcpOnAlb", "alb", "TCP", 22, [], ForwardAction.To("tg-none"))],
            ListenerRules =
            [
                .. Model().ListenerRules,
                new ListenerRule("r2", "SamePriority", "l-http", 10, [new RuleCondition("path-pattern", ["/x"])], ForwardAction.To("tg-web")),
                new ListenerRule("r3", "OnNlb", "l-nlb", 20, [], ForwardAction.To("tg-web")),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Contains("OneZoneAlb.Subnets", problems);
        Assert.Contains("OneZoneAlb.SecurityGroups", problems);
        Assert.Contains("Ghosts.TargetType", problems);
        Assert.Contains("TcpOnAlb.Protocol", problems);
        Assert.Contains("TcpOnAlb.DefaultActions", problems);
        Assert.Contains("SamePriority.Priority", problems);
        Assert.Contains("OnNlb.ListenerArn", problems);
    }

    [Fact]
    public void Validate_HeaderAndQueryConditions_ReportsWhatCreateRuleRefuses()
    {
        var problems = RuleProblems(
            new RuleCondition("http-header", ["beta"]) { HttpHeaderName = "host" },
            new RuleCondition("http-header", [string.Empty]) { HttpHeaderName = new string('x', 41) },
            new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair(new string('k', 129), "v"), new QueryStringPair(null, string.Empty)] },
            new RuleCondition("query-string", []),
            new RuleCondition("http-header", ["ok*"]) { HttpHeaderName = "X-Channel" });

        Assert.Equal(
            [
                "Rule.Conditions[0].HttpHeaderConfig.HttpHeaderName",
                "Rule.Conditions[1].HttpHeaderConfig.HttpHeaderName",
                "Rule.Conditions[1].HttpHeaderConfig.Values[0]",
                "Rule.Conditions[2].QueryStringConfig.Values[0].Key",
                "Rule.Conditions[2].QueryStringConfig.Values[1].Value",
                "Rule.Conditions[3].QueryStringConfig.Values",
            ],
            problems);
    }

    [Fact]
    public void Validate_RegexValues_ReportsBothKindsAndRefusedExpressions()
    {
        var problems = RuleProblems(
            new RuleCondition("host-header", ["a.example"]) { RegexValues = [@"a\.example"] },
            new RuleCondition("path-pattern", []) { RegexValues = ["/ok/.*", "(broken"] },
            new RuleCondition("http-header", []) { HttpHeaderName = "X-Channel", RegexValues = [@"(a)\1"] },
            new RuleCondition("http-header", []) { HttpHeaderName = "X-Channel", RegexValues = ["beta-[0-9]+"] });

        Assert.Equal(
            [
                "Rule.Conditions[0].HostHeaderConfig.RegexValues",
                "Rule.Conditions[1].PathPatternConfig.RegexValues[1]",
                "Rule.Conditions[2].HttpHeaderConfig.RegexValues[0]",
            ],
            problems);
    }

    [Fact]
    public void Validate_RuleWithMoreThanFiveConditionValues_IsRefusedWithElbsMessage()
    {
        var six = Model() with
        {
            ListenerRules = [new ListenerRule("r1", "Rule", "l-http", 10, [new RuleCondition("path-pattern", ["/a", "/b", "/c", "/d"]), new RuleCondition("host-header", ["a.example", "b.example"])], ForwardAction.To("tg-web"))],
        };

        var problem = Assert.Single(ModelValidator.Validate(six).Problems);
        var five = RuleProblems(
            new RuleCondition("path-pattern", ["/a", "/b", "/c"]),
            new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("k", "v"), new QueryStringPair(null, "w")] });

        Assert.Equal(("Rule", "Conditions"), (problem.Resource, problem.Property));
        Assert.Equal("A rule can only have '5' condition values", problem.Message);
        Assert.Empty(five);
    }

    [Fact]
    public void Validate_RuleWithMoreThanFiveWildcards_IsRefused()
    {
        var six = RuleProblems(
            new RuleCondition("path-pattern", ["/a/*/b/*"]),
            new RuleCondition("host-header", ["*.example.?om"]),
            new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("k*", "v?")] });
        var five = RuleProblems(
            new RuleCondition("path-pattern", ["/a/*/b/*"]),
            new RuleCondition("host-header", ["*.example.co?"]),
            new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("k*", "literal\\*")] });

        Assert.Equal(["Rule.Conditions"], six);
        Assert.Empty(five);
    }

    [Fact]
    public void Validate_PathPatternValues_RefusesCharactersOutsideElbsListWithElbsMessage()
    {
        var model = Model() with
        {
            ListenerRules = [new ListenerRule("r1", "Rule", "l-http", 10, [new RuleCondition("path-pattern", ["/a%20b", "/A-z_0.9$/~\"'@:+&*?", new string('a', 129)])], ForwardAction.To("tg-web"))],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}: {p.Message}").ToList();

        Assert.Equal(
            [
                "Rule.Conditions[0].PathPatternConfig.Values[0]: Condition value '/a%20b' contains a character that is not valid",
                "Rule.Conditions[0].PathPatternConfig.Values[2]: is longer than 128 characters.",
            ],
            problems);
    }

    [Fact]
    public void Validate_HostHeaderValues_RefusesWhatElbDoesNotTakeAsAHostNameWithElbsMessage()
    {
        var model = Model() with
        {
            ListenerRules =
            [
                new ListenerRule("r1", "Rule", "l-http", 10, [new RuleCondition("host-header", ["a_b.example", "api.example.com:8443", "*.Ex-am9le.c?M", "localhost", "a.example.c0m"])], ForwardAction.To("tg-web")),
                new ListenerRule("r2", "Long", "l-http", 11, [new RuleCondition("host-header", [new string('a', 125) + ".com"])], ForwardAction.To("tg-web")),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}: {p.Message}").ToList();

        Assert.Equal(
            [
                "Rule.Conditions[0].HostHeaderConfig.Values[0]: Condition value for field 'host-header' must be a valid hostname",
                "Rule.Conditions[0].HostHeaderConfig.Values[1]: Condition value for field 'host-header' must be a valid hostname",
                "Rule.Conditions[0].HostHeaderConfig.Values[3]: Condition value for field 'host-header' must be a valid hostname",
                "Rule.Conditions[0].HostHeaderConfig.Values[4]: Condition value for field 'host-header' must be a valid hostname",
                "Long.Conditions[0].HostHeaderConfig.Values[0]: is longer than 128 characters.",
            ],
            problems);
    }

    [Fact]
    public void Validate_MethodAndSourceIpValues_RefusedWhereElbRefusesThem()
    {
        var model = Model() with
        {
            ListenerRules =
            [
                new ListenerRule("r1", "Methods", "l-http", 10, [new RuleCondition("http-request-method", ["GET", "get", "CUSTOM_VERB-X", new string('A', 41)])], ForwardAction.To("tg-web")),
                new ListenerRule("r2", "Sources", "l-http", 11, [new RuleCondition("source-ip", ["10.0.0.0/8", "10.0.0.1", "2001:db8::/32", "10.0.0.0/33", "*"])], ForwardAction.To("tg-web")),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(
            [
                "Methods.Conditions[0].HttpRequestMethodConfig.Values[1]",
                "Methods.Conditions[0].HttpRequestMethodConfig.Values[3]",
                "Sources.Conditions[0].SourceIpConfig.Values[1]",
                "Sources.Conditions[0].SourceIpConfig.Values[3]",
                "Sources.Conditions[0].SourceIpConfig.Values[4]",
            ],
            problems);
    }

    [Fact]
    public void Validate_RepeatedConditionValueOrField_RefusedAsElbRefusesThem()
    {
        var model = Model() with
        {
            ListenerRules =
            [
                new ListenerRule("r1", "Values", "l-http", 10, [new RuleCondition("path-pattern", ["/*", "/a", "/*"])], ForwardAction.To("tg-web")),
                new ListenerRule("r2", "Fields", "l-http", 11, [new RuleCondition("host-header", ["a.example"]), new RuleCondition("host-header", ["b.example"])], ForwardAction.To("tg-web")),
                new ListenerRule("r3", "Headers", "l-http", 12, [new RuleCondition("http-header", ["x"]) { HttpHeaderName = "X-A" }, new RuleCondition("http-header", ["y"]) { HttpHeaderName = "X-B" }], ForwardAction.To("tg-web")),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}: {p.Message}").ToList();

        Assert.Equal(
            [
                "Values.Conditions[0].PathPatternConfig.Values[2]: Condition values must be unique",
                "Fields.Conditions: A rule can have only one 'host-header' condition (one each of host-header, path-pattern, http-request-method and source-ip; http-header and query-string may repeat).",
            ],
            problems);
    }

    [Fact]
    public void Validate_TargetGroupPortsOutOfRange_AreRefused()
    {
        var model = Model() with
        {
            TargetGroups =
            [
                .. Model().TargetGroups,
                new TargetGroup("tg-p1", "BadCheckPort", "p1", "HTTP", 80, Vpc.Id, "ip", ["10.0.1.9"], Check with { Port = "70000" }),
                new TargetGroup("tg-p2", "WordCheckPort", "p2", "HTTP", 80, Vpc.Id, "ip", ["10.0.1.9"], Check with { Port = "http" }),
                new TargetGroup("tg-p3", "BadPorts", "p3", "HTTP", 0, Vpc.Id, "ip", ["10.0.1.9:65536"], Check with { Port = "8080" }),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(["BadCheckPort.HealthCheckPort", "WordCheckPort.HealthCheckPort", "BadPorts.Port", "BadPorts.Targets"], problems);
    }

    [Fact]
    public void Validate_ListenerPortOutOfRange_IsRefused()
    {
        var model = Model() with
        {
            Listeners = [.. Model().Listeners, new Listener("l-0", "Zero", "alb", "HTTP", 0, [], ForwardAction.To("tg-web")), new Listener("l-big", "Big", "nlb", "TCP", 65536, [], ForwardAction.To("tg-web"))],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(["Zero.Port", "Big.Port"], problems);
    }

    [Fact]
    public void Validate_RedirectKeywordsAndLengths_RefusedWhereElbRefusesThemInListenersAndRules()
    {
        var long129 = new string('a', 129);
        var toHttps = RedirectAction.Defaults(301) with { Protocol = "HTTPS" };
        var model = Model() with
        {
            Listeners =
            [
                .. Model().Listeners,
                new Listener("l-r1", "HostKeywords", "alb", "HTTP", 8081, [], toHttps with { Host = "#{path}.#{host}", Query = "#{protocol}&#{host}&#{port}&#{path}&#{query}" }),
                new Listener("l-r2", "PathTwice", "alb", "HTTP", 8082, [], toHttps with { Path = "/#{path}/#{path}" }),
                new Listener("l-r3", "Lengths", "alb", "HTTP", 8083, [], toHttps with { Host = long129, Path = "/" + long129[1..], Query = long129 }),
                new Listener("l-r4", "Fits", "alb", "HTTP", 8084, [], toHttps with { Host = long129[1..], Path = "/#{host}/#{port}/" + long129[..100], Query = long129[1..] }),
            ],
            ListenerRules =
            [
                new ListenerRule("r1", "PathQuery", "l-http", 10, [], toHttps with { Path = "/x?#{query}" }),
                new ListenerRule("r2", "PortHost", "l-http", 20, [], toHttps with { Port = "#{host}", Protocol = "#{port}" }),
                new ListenerRule("r3", "NoSlash", "l-http", 30, [], toHttps with { Path = "#{path}" }),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(
            [
                "HostKeywords.DefaultActions.RedirectConfig.Host",
                "PathTwice.DefaultActions.RedirectConfig.Path",
                "Lengths.DefaultActions.RedirectConfig.Host",
                "Lengths.DefaultActions.RedirectConfig.Path",
                "Lengths.DefaultActions.RedirectConfig.Query",
                "PathQuery.Actions.RedirectConfig.Path",
                "PortHost.Actions.RedirectConfig.Protocol",
                "PortHost.Actions.RedirectConfig.Port",
                "NoSlash.Actions.RedirectConfig.Path",
            ],
            problems);
    }

    /// <summary>The problems, as resource.property, of one rule with these conditions on the model's HTTP listener.</summary>
    private static List<string> RuleProblems(params RuleCondition[] conditions)
    {
        var model = Model() with { ListenerRules = [new ListenerRule("r1", "Rule", "l-http", 10, [.. conditions], ForwardAction.To("tg-web"))] };
        return [.. ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}")];
    }

    [Fact]
    public void Validate_WeightedForwards_ReportsWhatCreateListenerAndCreateRuleRefuse()
    {
        var six = Enumerable.Range(0, 6).Select(i => new WeightedTargetGroup("tg-web", i)).ToImmutableArray();
        var model = Model() with
        {
            Listeners = [.. Model().Listeners, new Listener("l-nlb2", "TwoGroupsOnNlb", "nlb", "TCP", 81, [], new ForwardAction([new("tg-web", 1), new("tg-web", 1)]))],
            ListenerRules =
            [
                new ListenerRule("r1", "Weights", "l-http", 10, [], new ForwardAction([new("tg-web", -1), new("tg-web", 1000), new("tg-gone", 0)])),
                new ListenerRule("r2", "TooMany", "l-http", 20, [], new ForwardAction(six)),
                new ListenerRule("r3", "Nothing", "l-http", 30, [], new ForwardAction([])),
                new ListenerRule("r4", "Canary", "l-http", 40, [], new ForwardAction([new("tg-web", 999), new("tg-web", 0)], StickinessSeconds: 604800)),
                new ListenerRule("r5", "Sticky", "l-http", 50, [], new ForwardAction([new("tg-web", 1)], StickinessSeconds: 0)),
            ],
        };

        var problems = ModelValidator.Validate(model).Problems.Select(p => $"{p.Resource}.{p.Property}").ToList();

        Assert.Equal(
            [
                "TwoGroupsOnNlb.DefaultActions.ForwardConfig.TargetGroups",
                "Weights.Actions",
                "Weights.Actions.ForwardConfig.TargetGroups[0].Weight",
                "Weights.Actions.ForwardConfig.TargetGroups[1].Weight",
                "TooMany.Actions.ForwardConfig.TargetGroups",
                "Nothing.Actions.ForwardConfig.TargetGroups",
                "Sticky.Actions.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds",
            ],
            problems);
    }

    private static CloudModel Model() => new()
    {
        Vpcs = [Vpc],
        Subnets = [SubnetA, SubnetB],
        Instances = [new Instance("i-00000000000000001", "Web", SubnetA.Id, null, [])],
        LoadBalancers =
        [
            new LoadBalancer("alb", "Alb", "alb", LoadBalancerType.Application, true, [SubnetA.Id, SubnetB.Id], [], "alb.example"),
            new LoadBalancer("nlb", "Nlb", "nlb", LoadBalancerType.Network, true, [SubnetA.Id], [], "nlb.example"),
        ],
        TargetGroups = [new TargetGroup("tg-web", "Web", "web", "HTTP", 80, Vpc.Id, "instance", ["i-00000000000000001"], Check)],
        Listeners =
        [
            new Listener("l-http", "Http", "alb", "HTTP", 80, [], ForwardAction.To("tg-web")),
            new Listener("l-nlb", "Tcp", "nlb", "TCP", 80, [], ForwardAction.To("tg-web")),
        ],
        ListenerRules = [new ListenerRule("r1", "Rule", "l-http", 10, [new RuleCondition("host-header", ["a.example"])], ForwardAction.To("tg-web"))],
    };
}
