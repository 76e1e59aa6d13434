using System.Collections.Immutable;
using Cloister.Cli.Commands;
using Cloister.Host.Status;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Compute;
using Cloister.Model.Network;

namespace Cloister.Cli.Tests.Commands;

public sealed class TryNextHintsTests
{
    private const string ApiHost = "abcde12345.execute-api.eu-central-1.amazonaws.com";
    private const string EndpointAddressA = "10.0.1.254";
    private const string EndpointAddressB = "10.0.2.254";

    private static readonly Subnet SubnetA = new("subnet-a", "SubnetA", "vpc-api", "10.0.1.0/24", "eu-central-1a");
    private static readonly Subnet SubnetB = new("subnet-b", "SubnetB", "vpc-api", "10.0.2.0/24", "eu-central-1b");
    private static readonly Subnet ClientSubnet = new("subnet-c", "ClientSubnet", "vpc-client", "172.128.1.0/24", "eu-central-1a");

    [Fact]
    public void For_ApiUrlAndHostsInTwoVpcs_UsesTheHostInTheOtherVpc()
    {
        var status = Status(
            [Output("ClaimUrl", $"https://{ApiHost}/dev/claim")],
            [Instance("ApiVpcInstance", "10.0.1.253", "vpc-api"), Instance("ClientVpcInstance", "172.128.1.254", "vpc-client"), Endpoint(EndpointAddressA), Endpoint(EndpointAddressB)]);
        var model = new CloudModel { Subnets = [SubnetA, SubnetB, ClientSubnet], RestApis = [Api(Resource("r-claim", "/claim", Get(apiKey: false, "listClaims")))], Functions = [Function("listClaims")] };

        var commands = Commands(TryNextHints.For(status, model, Reaching(EndpointAddressA), detached: true));

        Assert.Equal(
            [
                $"./cloister exec --from ClientVpcInstance -- dig +short {ApiHost}",
                $"./cloister exec --from ClientVpcInstance -- curl -s https://{ApiHost}/dev/claim",
                $"./cloister path --from ClientVpcInstance --to {ApiHost}:443",
                "./cloister logs function listClaims",
                "./cloister status   ./cloister outputs",
                "./cloister down",
            ],
            commands);
    }

    [Fact]
    public void For_StageLogsAccessAndExecution_SuggestsBothLogsAfterTheRequest()
    {
        var status = Status([Output("ClaimUrl", $"https://{ApiHost}/dev/claim")], [Instance("ClientInstance", "172.128.1.254", "vpc-client")]);
        var stage = Stage(new AccessLogSetting("arn:aws:logs:eu-central-1:000000000000:log-group:access", "$context.requestId"), Logging("INFO"));
        var model = new CloudModel
        {
            Subnets = [SubnetA, ClientSubnet],
            RestApis = [Api(Resource("r-claim", "/claim", Get(apiKey: false, "listClaims")))],
            Stages = [stage],
            Functions = [Function("listClaims")],
        };

        var commands = Commands(TryNextHints.For(status, model, Reaching(EndpointAddressA), detached: true));

        Assert.Equal(
            [
                $"./cloister exec --from ClientInstance -- dig +short {ApiHost}",
                $"./cloister exec --from ClientInstance -- curl -s https://{ApiHost}/dev/claim",
                $"./cloister path --from ClientInstance --to {ApiHost}:443",
                "./cloister logs access",
                "./cloister logs execution",
                "./cloister logs function listClaims",
                "./cloister status   ./cloister outputs",
                "./cloister down",
            ],
            commands);
    }

    [Theory]
    [InlineData("ERROR", true)]
    [InlineData("error", true)]
    [InlineData("INFO", true)]
    [InlineData("OFF", false)]
    public void For_StageLoggingLevel_ExecutionLogsOnlyWhenItLogs(string level, bool suggested)
    {
        var status = Status([Output("ClaimUrl", $"https://{ApiHost}/dev/claim")], [Instance("ClientInstance", "172.128.1.254", "vpc-client")]);
        var model = new CloudModel { Subnets = [SubnetA, ClientSubnet], RestApis = [Api(Resource("r-claim", "/claim", Get(apiKey: false, "listClaims")))], Stages = [Stage(null, Logging(level))] };

        var commands = Commands(TryNextHints.For(status, model, Reaching(EndpointAddressA), detached: true));

        Assert.Equal(suggested, commands.Contains("./cloister logs execution"));
        Assert.DoesNotContain("./cloister logs access", commands);
    }

    [Fact]
    public void For_ExecutionLoggingButNoRequestSuggested_NoExecutionLogs()
    {
        // Nothing the hints send reaches the gateway, so the execution log would stay empty.
        var status = Status([Output("ApiUrl", $"https://{ApiHost}/dev")], [Instance("ClientInstance", "10.0.1.252", "vpc-api")]);
        var proxy = Resource("r-proxy", "/{proxy+}", new ApiMethod("ANY", "NONE", null, false, ImmutableDictionary<string, bool>.Empty, null)) with { ParentId = "r-root" };
        var model = new CloudModel { Subnets = [SubnetA], RestApis = [Api(Resource("r-root", "/"), proxy)], Stages = [Stage(null, Logging("INFO"))] };

        var commands = Commands(TryNextHints.For(status, model, Reaching("10.0.1.253"), detached: true));

        Assert.DoesNotContain("./cloister logs execution", commands);
    }

    [Fact]
    public void For_NoUrlButAnInterfaceEndpoint_TargetsTheEndpointNotTheHostsOwnAddress()
    {
        // The user's report: no URL output gave "path --from AppInstance --to 10.0.1.253:443", the instance itself.
        var app = Instance("AppInstance", "10.0.1.253", "vpc-api");
        var status = Status([Output("VpcEndpointId", "vpce-0123456789abcdef0")], [app, Instance("OutsiderInstance", "10.1.1.254", "vpc-outside"), Endpoint(EndpointAddressA), Endpoint(EndpointAddressB)], region: "eu-west-1");
        var endpoint = new VpcEndpoint(
            "vpce-0123456789abcdef0", "DynamoDbInterfaceEndpoint", "vpc-api", "com.amazonaws.eu-west-1.dynamodb", VpcEndpointType.Interface, ["subnet-a", "subnet-b"], [], [], false, null,
            [new NetworkInterface("eni-a", "subnet-a", EndpointAddressA, [], string.Empty), new NetworkInterface("eni-b", "subnet-b", EndpointAddressB, [], string.Empty)]);
        var zoneA = SubnetA with { AvailabilityZone = "eu-west-1a" };
        var zoneB = SubnetB with { AvailabilityZone = "eu-west-1b" };
        var model = new CloudModel { Subnets = [zoneA, zoneB], VpcEndpoints = [endpoint] };
        var regional = $"vpce-0123456789abcdef0-{VpcEndpointDnsSuffix.Of("vpce-0123456789abcdef0")}.dynamodb.eu-west-1.vpce.amazonaws.com";
        var zonalB = regional.Replace(".dynamodb.", "-eu-west-1b.dynamodb.", StringComparison.Ordinal);

        var commands = Commands(TryNextHints.For(status, model, (host, name, _) => host.Name == "AppInstance" ? new PathProbe(name == zonalB ? EndpointAddressB : EndpointAddressA, true) : new PathProbe(EndpointAddressA, false), detached: true));

        Assert.Contains($"./cloister exec --from AppInstance -- dig +short {regional}", commands);
        Assert.Contains($"./cloister exec --from AppInstance -- curl -s https://{regional}/", commands);
        Assert.Contains($"./cloister path --from AppInstance --to {zonalB}:443", commands);
        Assert.DoesNotContain(commands, c => c.Contains(app.Address, StringComparison.Ordinal) || c.Contains("OutsiderInstance", StringComparison.Ordinal));
    }

    [Fact]
    public void For_NoHostReachesTheTarget_OffersOnlyThePathThatShowsTheBlock()
    {
        var status = Status([Output("Url", $"https://{ApiHost}/dev/claim")], [Instance("Outsider", "10.1.1.254", "vpc-outside")]);

        var hints = TryNextHints.For(status, new CloudModel(), (_, _, _) => new PathProbe(EndpointAddressA, false), detached: false);

        var path = Assert.Single(hints, h => h.Command.StartsWith("./cloister", StringComparison.Ordinal) && !h.Command.Contains("status", StringComparison.Ordinal));
        Assert.Equal($"./cloister path --from Outsider --to {ApiHost}:443", path.Command);
        Assert.Contains("blocks", path.Note, StringComparison.Ordinal);
        Assert.Equal("Ctrl-C", hints[^1].Command);
    }

    [Fact]
    public void For_LoadBalancerTargetsAndAnApiKeyMethod_CallsFromTheClientWithTheUsagePlansKey()
    {
        var status = Status(
            [Output("ApiUrl", $"https://{ApiHost}/dev/items")],
            [Instance("Instance1", "10.0.1.254", "vpc-api"), Instance("ClientInstance", "10.0.1.252", "vpc-api")],
            targets: [new TargetHealthInfo("targetgroup/web/1", "10.0.1.254", 80, "healthy", null)]);
        var model = new CloudModel
        {
            Subnets = [SubnetA],
            RestApis = [Api(Resource("r-items", "/items", Get(apiKey: true, null)))],
            ApiKeys = [new ApiKey("key-off", "OffKey", "off", "disabled-key-0123456789", false), new ApiKey("key-1", "Key", "k", "sample-key-0123456789", true)],
            UsagePlans = [new UsagePlan("plan-1", "Plan", "plan", [new UsagePlanApiStage("abcde12345", "dev", ImmutableDictionary<string, ThrottleSettings>.Empty)], null, null)],
            UsagePlanKeys = [new UsagePlanKey("plan-1:key-off", "OffPlanKey", "key-off", "plan-1"), new UsagePlanKey("plan-1:key-1", "PlanKey", "key-1", "plan-1")],
        };

        var commands = Commands(TryNextHints.For(status, model, Reaching("10.0.1.253"), detached: true));

        Assert.Contains($"./cloister exec --from ClientInstance -- curl -s -H 'x-api-key: sample-key-0123456789' https://{ApiHost}/dev/items", commands);
        Assert.DoesNotContain(commands, c => c.Contains("Instance1", StringComparison.Ordinal));
    }

    [Fact]
    public void For_StageUrlWithOnlyAProxyBelowIt_SendsNoRequestAndNamesTheRoute()
    {
        var status = Status([Output("ApiUrl", $"https://{ApiHost}/dev")], [Instance("ClientInstance", "10.0.1.252", "vpc-api")]);
        var root = Resource("r-root", "/");
        var proxy = Resource("r-proxy", "/{proxy+}", new ApiMethod("ANY", "NONE", null, false, ImmutableDictionary<string, bool>.Empty, null)) with { ParentId = "r-root" };
        var model = new CloudModel { Subnets = [SubnetA], RestApis = [Api(root, proxy)] };

        var hints = TryNextHints.For(status, model, Reaching("10.0.1.253"), detached: true);

        Assert.DoesNotContain(hints, h => h.Command.Contains("curl", StringComparison.Ordinal));
        Assert.Contains(hints, h => h.Command.Length == 0 && h.Note!.Contains("ANY /{proxy+}", StringComparison.Ordinal));
        Assert.Contains(hints, h => h.Command == $"./cloister path --from ClientInstance --to {ApiHost}:443");
    }

    [Fact]
    public void For_NoHostToCallFrom_InvokesTheFunctionInsteadOfSuggestingDnsLogs()
    {
        var status = Status([Output("HelloUrl", $"https://{ApiHost}/Stage/hello")], [Endpoint(EndpointAddressA)], functions: [new FunctionInfo("stack-Hello-ABC", "python3.12", 0, 0)]);
        var model = new CloudModel { QueryLogConfigs = [new("rqlc-1", "Logging", "logs", "arn:aws:logs:eu-central-1:000000000000:log-group:q", ["vpc-api"])] };

        var hints = TryNextHints.For(status, model, (_, _, _) => throw new InvalidOperationException("no host to probe from"), detached: true);

        Assert.Equal(
            ["", "./cloister invoke stack-Hello-ABC", "./cloister logs function stack-Hello-ABC", "./cloister status   ./cloister outputs", "./cloister down"],
            hints.Select(h => h.Command));
        Assert.Contains(ApiHost, hints[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ListMethodDeclaresRequiredParameters_CurlFillsEachWithAnExampleValue()
    {
        // Without memberId the claims API's list answers 400 "Missing required query parameter: memberId".
        var status = Status([Output("ClaimUrl", $"https://{ApiHost}/dev/claim")], [Instance("ClientInstance", "10.0.1.252", "vpc-api")]);
        var list = Get(apiKey: false, "listClaims") with
        {
            RequestParameters = ImmutableDictionary<string, bool>.Empty
                .Add("method.request.querystring.memberId", true)
                .Add("method.request.querystring.nextToken", false)
                .Add("method.request.header.x-tenant", true),
        };
        var model = new CloudModel { Subnets = [SubnetA], RestApis = [Api(Resource("r-claim", "/claim", list))], Functions = [Function("listClaims")] };

        var commands = Commands(TryNextHints.For(status, model, Reaching("10.0.1.253"), detached: true));

        Assert.Contains($"./cloister exec --from ClientInstance -- curl -s -H 'x-tenant: example' 'https://{ApiHost}/dev/claim?memberId=m-1'", commands);
    }

    [Fact]
    public void For_CollectionWithOnlyAPost_PostsAJsonObjectWithTheRequiredQueryParameters()
    {
        var status = Status([Output("ClaimUrl", $"https://{ApiHost}/dev/claim?source=docs")], [Instance("ClientInstance", "10.0.1.252", "vpc-api")]);
        var create = Get(apiKey: false, "createClaim") with
        {
            HttpMethod = "POST",
            RequestParameters = ImmutableDictionary<string, bool>.Empty
                .Add("method.request.querystring.policyId", true)
                .Add("method.request.querystring.memberId", true)
                .Add("method.request.querystring.memberName", true)
                .Add("method.request.querystring.source", true),
        };
        var model = new CloudModel { Subnets = [SubnetA], RestApis = [Api(Resource("r-claim", "/claim", create))], Functions = [Function("createClaim")] };

        var hints = TryNextHints.For(status, model, Reaching("10.0.1.253"), detached: true);

        var curl = Assert.Single(hints, h => h.Command.Contains("curl", StringComparison.Ordinal));
        Assert.Equal(
            $"./cloister exec --from ClientInstance -- curl -s -X POST -H 'content-type: application/json' -d '{{}}' 'https://{ApiHost}/dev/claim?source=docs&memberId=m-1&memberName=example&policyId=p-1'",
            curl.Command);
        Assert.Contains("POST", curl.Note, StringComparison.Ordinal);
        Assert.Contains(hints, h => h.Command == "./cloister logs function createClaim");
    }

    [Fact]
    public void For_SeedArchitecture_ListsTheClaimsOfAnExampleMember()
    {
        // The default stack, loaded as `up` loads it.
        var (_, loaded) = StackTemplates.Build(StackTemplates.DefaultTemplates(), [], StackTemplates.DefaultStackRegion, AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);
        Assert.Empty(problems);
        var outputs = loaded.Stacks.SelectMany(s => s.Outputs).Select(o => Output(o.OutputKey, o.OutputValue)).ToImmutableArray();
        var status = Status(outputs, [Instance("ClientVpcInstance", "172.128.1.254", Assert.Single(loaded.Model.Vpcs, v => v.LogicalId == "ClientVpc").Id)]);
        var api = Assert.Single(loaded.Model.RestApis);

        var commands = Commands(TryNextHints.For(status, loaded.Model, Reaching("10.0.1.254"), detached: true));

        Assert.Contains($"./cloister exec --from ClientVpcInstance -- curl -s 'https://{api.Id}.execute-api.eu-central-1.amazonaws.com/dev/claim?memberId=m-1'", commands);
        Assert.Contains("./cloister logs function listClaims", commands);
    }

    [Fact]
    public void For_ModelUnreadable_PathToTheEndpointsInterfaceFromStatus()
    {
        var status = Status([], [Instance("AppInstance", "10.0.1.253", "vpc-api"), Endpoint(EndpointAddressA)]);

        var commands = Commands(TryNextHints.For(status, null, (_, name, _) => new PathProbe(name, true), detached: true));

        Assert.Equal(["./cloister path --from AppInstance --to 10.0.1.254:443", "./cloister status   ./cloister outputs", "./cloister down"], commands);
    }

    private static List<string> Commands(ImmutableArray<TryNextHint> hints) => [.. hints.Where(h => h.Command.Length > 0).Select(h => h.Command)];

    private static Func<HostInfo, string, int, PathProbe?> Reaching(string address) => (_, _, _) => new PathProbe(address, true);

    private static StackStatus Status(
        ImmutableArray<OutputInfo> outputs, ImmutableArray<HostInfo> hosts, string region = "eu-central-1", ImmutableArray<TargetHealthInfo> targets = default, ImmutableArray<FunctionInfo> functions = default) =>
        new(
            "ready", region, "clt-", false, 1, DateTimeOffset.UnixEpoch, 1,
            [new StackInfo("template", "arn:aws:cloudformation:eu-central-1:000000000000:stack/template/1", "CREATE_COMPLETE", outputs, [])],
            hosts, [], functions.IsDefault ? [] : functions, targets.IsDefault ? [] : targets);

    private static OutputInfo Output(string key, string value) => new(key, value, null, null);

    private static HostInfo Instance(string name, string address, string vpc) => new(name, "Instance", "i-" + name.ToLowerInvariant(), address, "ip-" + address.Replace('.', '-'), vpc);

    private static HostInfo Endpoint(string address) => new("Endpoint", "EndpointInterface", "eni-" + address, address, "ip-" + address.Replace('.', '-'), "vpc-api");

    private static RestApi Api(params ApiResource[] resources) => new("abcde12345", "Api", "api", EndpointType.Private, [], null, [.. resources], [], "HEADER", []);

    private static ApiResource Resource(string id, string path, params ApiMethod[] methods) => new(id, path == "/" ? null : "r-root", path.TrimStart('/'), path, [.. methods]);

    private static ApiMethod Get(bool apiKey, string? function) =>
        new(
            "GET", "NONE", null, apiKey, ImmutableDictionary<string, bool>.Empty,
            function is null
                ? null
                : new Integration(
                    IntegrationType.AwsProxy, "POST", $"arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:000000000000:function:{function}/invocations",
                    "INTERNET", null, 29000, ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", []));

    private static Stage Stage(AccessLogSetting? accessLog, params MethodSetting[] settings) =>
        new("DevStage", "abcde12345", "dev", "d-1", ImmutableDictionary<string, string>.Empty, [.. settings], accessLog);

    private static MethodSetting Logging(string level) => new("/*", "*", null, null, level);

    private static LambdaFunction Function(string name) => new(name, name, "provided.al2023", null, null, null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null);
}
