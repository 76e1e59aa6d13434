using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Topology;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Network.Tests.LoadBalancing;

public sealed class RuleAndHealthTests
{
    [Theory]
    [InlineData("/v2/*", "/v2/items", false, true)]
    [InlineData("/v2/*", "/v3/items", false, false)]
    [InlineData("/img/?.png", "/img/a.png", false, true)]
    [InlineData("/img/?.png", "/img/ab.png", false, false)]
    [InlineData("*.example.com", "API.Example.com", true, true)]
    [InlineData("/Api", "/api", false, false)]
    [InlineData("*", "", false, true)]
    [InlineData("*b", "*ab", false, true)]
    public void Matches_Wildcards_AsElbConditions(string pattern, string text, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, WildcardPattern.Matches(pattern, text, ignoreCase));

    [Theory]
    [InlineData(@"a\*", "a*", true)]
    [InlineData(@"a\*", "ab", false)]
    [InlineData(@"what\?", "WHAT?", true)]
    [InlineData(@"what\?", "whats", false)]
    [InlineData(@"*\**", "x*y", true)]
    [InlineData(@"*\**", "xy", false)]
    [InlineData(@"\a", "A", true)]
    public void Matches_EscapedWildcards_AreLiterals(string pattern, string text, bool expected) =>
        Assert.Equal(expected, WildcardPattern.Matches(pattern, text, ignoreCase: true, escapes: true));

    [Fact]
    public void Parse_Query_SplitsDecodesAndKeepsBareValues()
    {
        var parameters = QueryParameters.Parse("?version=v1%2Abeta&&flag&a+b=c%3Dd&bad=%zz&=empty-key");

        Assert.Equal(
            [("version", "v1*beta"), (null, "flag"), ("a+b", "c=d"), ("bad", "%zz"), ("", "empty-key")],
            parameters.ToArray());
        Assert.Empty(QueryParameters.Parse(null));
        Assert.Empty(QueryParameters.Parse("?"));
    }

    [Theory]
    [InlineData("X-Channel", "beta", true)]
    [InlineData("x-channel", "BETA-2", true)]
    [InlineData("X-Channel", "stable", false)]
    [InlineData("X-Other", "beta", false)]
    public void RouteFor_HttpHeaderCondition_NameAndValuesIgnoreCase(string header, string value, bool routed)
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("http-header", ["beta*", "canary"]) { HttpHeaderName = "X-Channel" }], ForwardAction.To("beta")));

        var request = Request("a.example", "/", "GET", IPAddress.Loopback, new HeaderDictionary { [header] = value });

        Assert.Equal(routed ? "beta" : "default", GroupOf(listener.RouteFor(request)));
    }

    [Fact]
    public void RouteFor_HeaderSentTwice_MatchesByAnyOfItsLines()
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("http-header", ["canary"]) { HttpHeaderName = "X-Channel" }], ForwardAction.To("canary")));

        var request = Request("a.example", "/", "GET", IPAddress.Loopback, new HeaderDictionary { ["X-Channel"] = new StringValues(["stable", "CANARY"]) });

        Assert.Equal("canary", GroupOf(listener.RouteFor(request)));
    }

    [Theory]
    [InlineData("api.example.com", "regex")]
    [InlineData("API.Example.COM", "regex")]
    [InlineData("api-2.example.com:8443", "regex")]
    [InlineData("api.example.com:8443", "default")]
    [InlineData("xapi.example.com", "default")]
    [InlineData("api.example.com.evil", "default")]
    public void RouteFor_HostHeaderRegex_WholeHeaderWithPortIgnoringCase(string host, string expected)
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("host-header", []) { RegexValues = [@"api\.example\.com", @"api-\d\.example\.com:8443"] }], ForwardAction.To("regex")));

        Assert.Equal(expected, GroupOf(listener.RouteFor(Request(host, "/", "GET", IPAddress.Loopback))));
    }

    [Theory]
    [InlineData("/v1/users/42", "regex")]
    [InlineData("/v12/users/7", "regex")]
    [InlineData("/V1/users/42", "default")]
    [InlineData("/v1/users/42/orders", "default")]
    [InlineData("/api/v1/users/42", "default")]
    public void RouteFor_PathPatternRegex_WholePathCaseSensitive(string path, string expected)
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("path-pattern", []) { RegexValues = [@"/v\d+/users/[0-9]+"] }], ForwardAction.To("regex")));

        Assert.Equal(expected, GroupOf(listener.RouteFor(Request("a.example", path, "GET", IPAddress.Loopback))));
    }

    [Fact]
    public void RouteFor_HttpHeaderRegex_AnyLineMatchesWhole()
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("http-header", []) { HttpHeaderName = "User-Agent", RegexValues = ["(curl|wget)/[0-9.]+"] }], ForwardAction.To("tools")));

        Assert.Equal("tools", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, new HeaderDictionary { ["User-Agent"] = new StringValues(["Mozilla/5.0", "CURL/8.5.0"]) }))));
        Assert.Equal("default", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, new HeaderDictionary { ["User-Agent"] = "curl/8.5.0 (x86_64)" }))));
        Assert.Equal("default", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback))));
    }

    /// <summary>
    /// What keeps a nested quantifier from stalling the proxy is the engine the rule's expressions are built with:
    /// <see cref="RegexOptions.NonBacktracking"/> matches in time linear in the value, by construction. The test asserts
    /// that engine and the routing, not a clock (a bound of 5 s failed under load; speed is for benchmarks).
    /// </summary>
    [Fact]
    public void RouteFor_NestedQuantifierRegexOnLongPath_FallsThroughOnALinearEngine()
    {
        var listener = Listener(new CompiledRule(1, [new RuleCondition("path-pattern", []) { RegexValues = ["/(a+)+b"] }], ForwardAction.To("regex")));
        var path = "/" + new string('a', 50_000) + "c";

        var group = GroupOf(listener.RouteFor(Request("a.example", path, "GET", IPAddress.Loopback)));

        Assert.Equal("default", group);
        Assert.True(ConditionRegex.Compile("/(a+)+b", ignoreCase: false)!.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.True(ConditionRegex.Compile("/(a+)+b", ignoreCase: true)!.Options.HasFlag(RegexOptions.NonBacktracking));
    }

    [Theory]
    [InlineData(@"api\.example\.com", null)]
    [InlineData("", "is required")]
    [InlineData("(unclosed", "is not a regular expression")]
    [InlineData("a{2,1}", "is not a regular expression")]
    [InlineData("(?=api)a.*", "lookaround, backreference")]
    [InlineData(@"(a)\1", "lookaround, backreference")]
    [InlineData("(?>a+)b", "lookaround, backreference")]
    [InlineData(@"\p{L}+", "Unicode character class")]
    [InlineData(@"\\p", null)]
    public void Problem_Patterns_RefusedAsElbDoes(string pattern, string? problem)
    {
        var found = ConditionRegex.Problem(pattern);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Problem_PatternLongerThan128_IsRefused() =>
        Assert.Equal("is longer than 128 characters.", ConditionRegex.Problem(new string('a', 129)));

    [Theory]
    [InlineData("?version=v1.2", "v1")]
    [InlineData("?Version=V1.2&x=1", "v1")]
    [InlineData("?x=1&beta", "beta")]
    [InlineData("?other=beta", "beta")]
    [InlineData("?q=what%3F", "literal")]
    [InlineData("?q=whats", "default")]
    [InlineData("?version=v2", "default")]
    [InlineData("", "default")]
    public void RouteFor_QueryStringCondition_AnyPairInAnyDecodedParameter(string query, string expected)
    {
        var listener = Listener(
            new CompiledRule(1, [new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("version", "v1*")] }], ForwardAction.To("v1")),
            new CompiledRule(2, [new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("nothing", "x"), new QueryStringPair(null, "beta")] }], ForwardAction.To("beta")),
            new CompiledRule(3, [new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("q", @"what\?")] }], ForwardAction.To("literal")));

        Assert.Equal(expected, GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, query: query))));
    }

    [Fact]
    public void RouteFor_HeaderAndQueryConditionsTogether_BothMustMatch()
    {
        var listener = Listener(new CompiledRule(1,
            [new RuleCondition("http-header", ["on"]) { HttpHeaderName = "X-Feature" }, new RuleCondition("query-string", []) { QueryStrings = [new QueryStringPair("mode", "new")] }],
            ForwardAction.To("both")));
        var headers = new HeaderDictionary { ["X-Feature"] = "on" };

        Assert.Equal("both", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, headers, "?mode=new"))));
        Assert.Equal("default", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, headers, "?mode=old"))));
        Assert.Equal("default", GroupOf(listener.RouteFor(Request("a.example", "/", "GET", IPAddress.Loopback, query: "?mode=new"))));
    }

    [Theory]
    [InlineData("200,403", 403, true)]
    [InlineData("200,403", 404, false)]
    [InlineData("200-299", 204, true)]
    [InlineData("200-299,401", 401, true)]
    [InlineData("200-299", 302, false)]
    public void Accepts_Matcher_CodesAndRanges(string matcher, int status, bool expected)
    {
        var problems = new List<string>();

        Assert.Equal(expected, HealthMatcher.Parse(matcher, problems).Accepts(status));
        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_UnreadableMatcherPart_IsReported()
    {
        var problems = new List<string>();

        HealthMatcher.Parse("200,abc,300-200", problems);

        Assert.Equal(2, problems.Count);
    }

    [Theory]
    [InlineData("HTTP/1.1 403 Forbidden", 403)]
    [InlineData("HTTP/1.0 200 OK", 200)]
    [InlineData("HTTP/2 200", null)]
    [InlineData("HTTP/1.1 2x0 OK", null)]
    [InlineData("", null)]
    public void ParseStatusLine_Lines_StatusOrNull(string line, int? expected) =>
        Assert.Equal(expected, HealthProbe.ParseStatusLine(System.Text.Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void ParseStatusLine_RandomBytes_NeverThrows()
    {
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 12)
            {
                "HTTP/1.1 "u8.CopyTo(bytes);
            }

            var status = HealthProbe.ParseStatusLine(bytes);
            Assert.True(status is null or >= 100 and <= 599);
        }
    }

    [Fact]
    public void Record_FailuresThenPasses_FollowTheThresholdsAndFailOpen()
    {
        var health = new TargetHealth(Plan(healthy: 3, unhealthy: 2), previous: null);
        var (a, b) = (health.Plan.Targets[0], health.Plan.Targets[1]);

        Assert.Equal(new[] { a, b }, health.Routable.ToArray());
        Assert.Equal(TargetHealthState.Healthy, health.Record(0, HealthCheckResult.Passed));
        Assert.Equal(TargetHealthState.Healthy, health.Record(1, HealthCheckResult.Passed));
        Assert.Null(health.Record(1, HealthCheckResult.FailedHealthChecks));
        Assert.Equal(TargetHealthState.Unhealthy, health.Record(1, HealthCheckResult.FailedHealthChecks));
        Assert.Equal(new[] { a }, health.Routable.ToArray());
        Assert.Null(health.Record(1, HealthCheckResult.Passed));
        Assert.Null(health.Record(1, HealthCheckResult.Passed));
        Assert.Equal(TargetHealthState.Healthy, health.Record(1, HealthCheckResult.Passed));
        Assert.Equal(new[] { a, b }, health.Routable.ToArray());

        // With no healthy target left, every target gets traffic again (ELB fails open).
        health.Record(0, HealthCheckResult.FailedHealthChecks);
        health.Record(0, HealthCheckResult.FailedHealthChecks);
        health.Record(1, HealthCheckResult.FailedHealthChecks);
        health.Record(1, HealthCheckResult.FailedHealthChecks);
        Assert.Equal(new[] { a, b }, health.Routable.ToArray());
    }

    [Fact]
    public void RoutableIn_CrossZoneOffOwnZoneAllUnhealthy_FailsOpenToItsOwnZoneNeverAcross()
    {
        var health = new TargetHealth(Plan(healthy: 2, unhealthy: 1), previous: null);
        var (a, b) = (health.Plan.Targets[0], health.Plan.Targets[1]);
        health.Record(0, HealthCheckResult.Passed);
        health.Record(1, HealthCheckResult.Passed);

        Assert.Equal(new[] { a }, health.RoutableIn("eu-central-1a").ToArray());
        Assert.Equal(new[] { b }, health.RoutableIn("eu-central-1b").ToArray());
        Assert.Equal(new[] { a, b }, health.RoutableIn(null).ToArray());

        // ELB's routing failover: a node without a healthy target sends to all the targets available to it — its own
        // zone's, unhealthy too — and never to another zone's (cross-zone off); DNS failover would take it out of DNS.
        health.Record(0, HealthCheckResult.FailedHealthChecks);
        Assert.Equal(new[] { a }, health.RoutableIn("eu-central-1a").ToArray());
        Assert.Equal(new[] { b }, health.RoutableIn("eu-central-1b").ToArray());
        Assert.False(health.HasHealthyIn("eu-central-1a"));
        Assert.True(health.HasHealthyIn("eu-central-1b"));

        // A zone with no target of its own has nothing to send to.
        Assert.Empty(health.RoutableIn("eu-central-1c"));
    }

    [Fact]
    public void Track_TargetTurnsUnhealthy_TerminatesItsConnectionsUnlessTheNodeFailsOpenToIt()
    {
        // Both targets in the first zone: a's connection ends when a turns unhealthy while b is healthy.
        var health = new TargetHealth(Plan(healthy: 1, unhealthy: 1, secondZone: "eu-central-1a"), previous: null);
        var (a, b) = (health.Plan.Targets[0], health.Plan.Targets[1]);
        health.Record(0, HealthCheckResult.Passed);
        health.Record(1, HealthCheckResult.Passed);
        var ended = new List<string>();
        using var toA = health.Track(a, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("a"));
        using var toB = health.Track(b, "eu-central-1a", endsWhenUnhealthy: true, () => ended.Add("b"));

        health.Record(0, HealthCheckResult.FailedHealthChecks);
        Assert.Equal(["a"], ended);

        // b turns unhealthy too: the node fails open to both, so b's connection stays.
        health.Record(1, HealthCheckResult.FailedHealthChecks);
        Assert.Equal(["a"], ended);
    }

    [Fact]
    public void TargetHealth_TargetInAZoneNotEnabled_IsUnusedNeverCheckedNorRoutableEvenFailingOpen()
    {
        var health = new TargetHealth(Plan(healthy: 2, unhealthy: 1, secondInUse: false), previous: null);
        var a = health.Plan.Targets[0];

        Assert.Equal(
            [(TargetHealthState.Initial, "Elb.InitialHealthChecking"), (TargetHealthState.Unused, "Target.NotInUse")],
            health.Describe().Select(d => (d.State, d.Reason)));
        Assert.Equal(new[] { a }, health.Routable.ToArray());
        Assert.Null(health.Record(1, HealthCheckResult.Passed));
        Assert.Equal(TargetHealthState.Unhealthy, health.Record(0, HealthCheckResult.FailedHealthChecks));
        Assert.Equal(new[] { a }, health.Routable.ToArray());
        Assert.Empty(health.RoutableIn("eu-central-1b"));
        Assert.Equal(TargetHealthState.Unused, health.Describe().Last().State);
    }

    [Fact]
    public void RoutableIn_TargetOfNoZone_ServesEveryZonesNode()
    {
        // An IP target outside the VPC is registered for every zone ("all"): each node sends to it as to its own.
        var health = new TargetHealth(Plan(healthy: 2, unhealthy: 1, secondZone: null), previous: null);
        var (a, x) = (health.Plan.Targets[0], health.Plan.Targets[1]);
        health.Record(0, HealthCheckResult.Passed);
        health.Record(1, HealthCheckResult.Passed);

        Assert.Equal(new[] { a, x }, health.RoutableIn("eu-central-1a").ToArray());
        Assert.Equal(new[] { x }, health.RoutableIn("eu-central-1b").ToArray());
    }

    [Fact]
    public void Build_TargetGroupNoListenerUses_ListsItsTargetsUnusedWithTargetNotInUse()
    {
        // Only the NLB's plain TCP listener is kept: no certificate is needed, and every group but "web" is used by none.
        var model = BalancerTopology.Build();
        model = model with { Listeners = [.. model.Listeners.Where(l => l.LogicalId == "WebListener")], ListenerRules = [] };

        var catalog = LoadBalancerCatalog.Build(model, PlanBuilder.Hosts(model), _ => throw new InvalidOperationException("no certificate is needed"));

        Assert.Contains(catalog.Unused, t => t.TargetGroupArn.EndsWith("/api/2", StringComparison.Ordinal) && t.Target == "10.50.1.40:443"
            && t.State == TargetHealthState.Unused && t.Reason == "Target.NotInUse");
        Assert.Contains(catalog.Unused, t => t.TargetGroupArn.EndsWith("/zonal/8", StringComparison.Ordinal) && t.Target == $"10.50.3.11:{BalancerTopology.WebPort}");
        Assert.DoesNotContain(catalog.Unused, t => t.TargetGroupArn.EndsWith("/web/1", StringComparison.Ordinal));
        Assert.Equal(["web"], catalog.TargetGroups.Values.Select(g => g.Group.Name));
    }

    /// <summary>Each condition matches by any of its values (OR), a rule by all of its conditions (AND), as ELB evaluates them (five values: the quota).</summary>
    [Theory]
    [InlineData("www.example.com", "/img/a.png", "10.0.1.9", "both")]
    [InlineData("static.CDN.example.com:8443", "/css/site.css", "10.0.200.1", "both")]
    [InlineData("example.com", "/img/a.png", "10.0.1.9", "default")]
    [InlineData("www.example.com", "/img/ab.png", "10.0.1.9", "default")]
    [InlineData("www.example.com", "/IMG/a.png", "10.0.1.9", "default")]
    [InlineData("www.example.com", "/css/site.css", "10.1.0.1", "default")]
    [InlineData("www.example.org", "/css/site.css", "10.0.1.9", "default")]
    public void RouteFor_ValuesOredConditionsAnded_AsElbEvaluatesThem(string host, string path, string client, string expected)
    {
        var listener = Listener(new CompiledRule(1,
        [
            new RuleCondition("host-header", ["www.example.com", "*.cdn.example.com"]),
            new RuleCondition("path-pattern", ["/img/?.png", "/css/*"]),
            new RuleCondition("source-ip", ["10.0.0.0/16"]),
        ], ForwardAction.To("both")));

        Assert.Equal(expected, GroupOf(listener.RouteFor(Request(host, path, "GET", IPAddress.Parse(client)))));
    }

    [Fact]
    public void RouteFor_Rules_FirstMatchByPriorityElseDefault()
    {
        var listener = new ListenerPlan(
            new LoadBalancer("lb", "Lb", "lb", LoadBalancerType.Application, true, [], [], "lb.example"),
            new Listener("l", "L", "lb", "HTTP", 80, [], ForwardAction.To("default")),
            [],
            [
                new CompiledRule(1, [new RuleCondition("host-header", ["api.example.com"]), new RuleCondition("path-pattern", ["/v1/*"])], ForwardAction.To("v1")),
                new CompiledRule(2, [new RuleCondition("http-request-method", ["POST"])], ForwardAction.To("posts")),
                new CompiledRule(3, [new RuleCondition("source-ip", ["10.1.0.0/16"])], ForwardAction.To("inside")),
            ],
            []);
        var outside = IPAddress.Parse("192.0.2.1");

        Assert.Equal("v1", GroupOf(listener.RouteFor(Request("API.example.com:443", "/v1/x", "GET", outside))));
        Assert.Equal("posts", GroupOf(listener.RouteFor(Request("other", "/v1/x", "POST", outside))));
        Assert.Equal("inside", GroupOf(listener.RouteFor(Request("other", "/", "GET", IPAddress.Parse("10.1.2.3")))));
        Assert.Equal("default", GroupOf(listener.RouteFor(Request("other", "/", "GET", outside))));
    }

    [Fact]
    public void Pick_Weights_SpreadInProportionAndNeverToWeightZero()
    {
        var forward = new ForwardAction([new("blue", 3), new("green", 1), new("old", 0)]);
        var random = new Random(11);

        var counts = Enumerable.Range(0, 8000).Select(_ => WeightedChoice.Pick(forward, random) ?? "none").CountBy(g => g).ToDictionary();

        Assert.Equal(["blue", "green"], counts.Keys.Order());
        Assert.InRange(counts["blue"], 5700, 6300);
        Assert.InRange(counts["green"], 1700, 2300);
    }

    [Fact]
    public void Pick_EveryWeightZero_NoGroup()
    {
        var forward = new ForwardAction([new("blue", 0), new("green", 0)]);

        Assert.Null(WeightedChoice.Pick(forward, new Random(1)));
        Assert.Equal("only", WeightedChoice.Pick(ForwardAction.To("only"), new Random(1)));
    }

    [Theory]
    [InlineData("HTTPS", "#{host}", "443", "/#{path}", "#{query}", "https://a.example:443/x/y?q=1")]
    [InlineData("#{protocol}", "new.#{host}", "#{port}", "/v2/#{path}", "#{query}&from=#{host}", "http://new.a.example:80/v2/x/y?q=1&from=a.example")]
    [InlineData("HTTPS", "#{host}", "8443", "/", "", "https://a.example:8443/")]
    public void Location_Components_KeywordsReplacedAsElbDoes(string protocol, string host, string port, string path, string query, string expected)
    {
        var redirect = new RedirectAction(protocol, host, port, path, query, 301);

        Assert.Equal(expected, ApplicationAnswers.Location(redirect, "HTTP", 80, "a.example", "/x/y?q=1"));
    }

    /// <summary>
    /// <c>#{path}</c> is the path as the client sent it with "the leading '/' removed" (one), escapes and dot segments
    /// as written: ELB's pages say the path component "is not percent-encoded" and name no decoding or normalization of
    /// the reused path (rules alone see the normalized one).
    /// </summary>
    [Theory]
    [InlineData("/a%20b/%2e%2e/c%3F?x=%41", "http://new.example:80/a%20b/%2e%2e/c%3F?x=%41")]
    [InlineData("//x//y", "http://new.example:80//x//y")]
    [InlineData("/", "http://new.example:80/")]
    public void Location_PathKeyword_IsThePathAsSentLessOneLeadingSlash(string rawTarget, string expected)
    {
        var redirect = RedirectAction.Defaults(301) with { Host = "new.example" };

        Assert.Equal(expected, ApplicationAnswers.Location(redirect, "HTTP", 80, "a.example", rawTarget));
    }

    [Fact]
    public void RouteFor_FixedResponseRuleAndRedirectDefault_ReturnTheirActions()
    {
        var notFound = new FixedResponseAction(404, "text/plain", "no such page");
        var toHttps = RedirectAction.Defaults(301) with { Protocol = "HTTPS", Port = "443" };
        var listener = new ListenerPlan(
            new LoadBalancer("lb", "Lb", "lb", LoadBalancerType.Application, true, [], [], "lb.example"),
            new Listener("l", "L", "lb", "HTTP", 80, [], toHttps),
            [],
            [new CompiledRule(1, [new RuleCondition("path-pattern", ["/old/*"])], notFound)],
            []);
        var client = IPAddress.Parse("192.0.2.1");

        Assert.Equal<ListenerAction>(notFound, listener.RouteFor(Request("a.example", "/old/x", "GET", client)));
        Assert.Equal<ListenerAction>(toHttps, listener.RouteFor(Request("a.example", "/new", "GET", client)));
    }

    [Fact]
    public void Of_ManySourcePorts_SpreadsOverTargets()
    {
        var destination = new IPEndPoint(IPAddress.Parse("10.0.1.5"), 80);
        var counts = new int[2];
        for (var port = 40000; port < 41000; port++)
        {
            counts[FlowHash.Of(new IPEndPoint(IPAddress.Parse("10.0.1.20"), port), destination) % 2]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 400, 600));
        Assert.Equal(FlowHash.Of(new IPEndPoint(IPAddress.Loopback, 1), destination), FlowHash.Of(new IPEndPoint(IPAddress.Loopback, 1), destination));
    }

    [Theory]
    [InlineData(32768)]
    [InlineData(40000)]
    [InlineData(51200)]
    [InlineData(60998)]
    public void Of_SixteenNeighbouringEvenSourcePorts_UseBothTargets(int firstPort)
    {
        // Linux gives connect() neighbouring even ephemeral ports by preference (odd ones go to bind()), so one client's
        // connections differ only in a port's low byte, by steps of 2. FNV-1a's low bit is the parity of the input
        // bytes' low bits: with two targets, every such connection went to the same one (seen as an NLB test whose 12
        // waiting connections all reached one target).
        var destination = new IPEndPoint(IPAddress.Parse("10.50.1.100"), 8082);
        var counts = new int[2];
        for (var port = firstPort; port < firstPort + 32; port += 2)
        {
            counts[FlowHash.Of(new IPEndPoint(IPAddress.Parse("10.50.3.10"), port), destination) % 2]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 3, 13));
    }

    /// <summary>The target group of a forward to one group.</summary>
    private static string GroupOf(ListenerAction action) => Assert.Single(Assert.IsType<ForwardAction>(action).TargetGroups).TargetGroupId;

    private static RuleRequest Request(string host, string path, string method, IPAddress client, IHeaderDictionary? headers = null, string? query = null) =>
        new(host, path, method, client, headers ?? new HeaderDictionary(), query);

    private static ListenerPlan Listener(params CompiledRule[] rules) => new(
        new LoadBalancer("lb", "Lb", "lb", LoadBalancerType.Application, true, [], [], "lb.example"),
        new Listener("l", "L", "lb", "HTTP", 80, [], ForwardAction.To("default")),
        [],
        [.. rules],
        []);

    private static TargetGroupPlan Plan(int healthy, int unhealthy, string? secondZone = "eu-central-1b", bool secondInUse = true) => new(
        new TargetGroup("tg", "Tg", "tg", "TCP", 80, "vpc", "ip", ["10.0.1.1", "10.0.1.2"], new HealthCheck("TCP", null, "traffic-port", "200-399", 5, healthy, unhealthy)),
        ImmutableArray.Create(new IPEndPoint(IPAddress.Parse("10.0.1.1"), 80), new IPEndPoint(IPAddress.Parse("10.0.1.2"), 80)),
        IPAddress.Parse("10.0.1.5"),
        [IPAddress.Parse("10.0.1.5")],
        null,
        HealthMatcher.Parse("200-399", []),
        ["eu-central-1a", secondZone],
        [true, secondInUse]);
}
