using System.Collections.Immutable;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.AccessControl;

/// <summary>
/// Token buckets at every level (spec §5): usage plan per key and per method, stage method settings, account.
/// The clock stands still, so a burst of N lets exactly N through; advancing it refills at the rate.
/// </summary>
public sealed class ThrottlingTests
{
    private static async Task<GatewayHarness> StartAsync(GatewayModel model, ManualTime time, ThrottleSettings? account = null)
    {
        var harness = await GatewayHarness.StartAsync(model, time: time, configure: account is null ? null : o => o with { AccountThrottle = account });
        harness.Lambda.AddFixed("echo", """{"statusCode":200,"body":"ok"}""");
        return harness;
    }

    private static async Task<int[]> BurstAsync(HttpClient client, int count, string? key = null, string path = "pets")
    {
        var tasks = Enumerable.Range(0, count).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/{path}");
            if (key is not null)
            {
                request.Headers.Add("x-api-key", key);
            }

            return client.SendAsync(request);
        });
        var responses = await Task.WhenAll(tasks);
        return [.. responses.Select(r => (int)r.StatusCode)];
    }

    [Fact]
    public async Task Invoke_ConcurrentBurstOverPlanBurst_ThrottlesExactlyTheExcess()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan(throttle: new ThrottleSettings(1, 5))), time);

        var statuses = await BurstAsync(harness.Client(GatewayHarness.EniA), 20, KeyValue);

        Assert.Equal(5, statuses.Count(s => s == 200));
        Assert.Equal(15, statuses.Count(s => s == 429));
    }

    [Fact]
    public async Task Invoke_AfterTime_RefillsAtTheRate()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan(throttle: new ThrottleSettings(2, 4))), time);
        var client = harness.Client(GatewayHarness.EniA);

        var first = await BurstAsync(client, 6, KeyValue);
        time.Advance(TimeSpan.FromSeconds(1.5));
        var second = await BurstAsync(client, 6, KeyValue);
        var throttled = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "x-api-key", KeyValue } } });

        Assert.Equal(4, first.Count(s => s == 200));
        Assert.Equal(3, second.Count(s => s == 200));
        await Expect.ErrorAsync(throttled, 429, """{"message":"Too Many Requests"}""", "TooManyRequestsException");
    }

    [Fact]
    public async Task Invoke_PlanPerMethodThrottle_LimitsOnlyThatMethod()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var methods = ImmutableDictionary<string, ThrottleSettings>.Empty.Add("/pets/GET", new ThrottleSettings(1, 2));
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan(throttle: new ThrottleSettings(100, 100), methods: methods)), time);
        var client = harness.Client(GatewayHarness.EniA);

        var pets = await BurstAsync(client, 10, KeyValue, "pets");
        var toys = await BurstAsync(client, 10, KeyValue, "toys");

        Assert.Equal(2, pets.Count(s => s == 200));
        Assert.Equal(10, toys.Count(s => s == 200));
    }

    [Fact]
    public async Task Invoke_PlanThrottle_IsPerKey()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var model = WithPlan(EchoApi(apiKeyRequired: true), Plan(throttle: new ThrottleSettings(1, 3)));
        model = model with { UsagePlanKeys = model.UsagePlanKeys.Add(new UsagePlanKey("key0000002", "PlanKey2", "key0000002", PlanId)) };
        await using var harness = await StartAsync(model, time);
        var client = harness.Client(GatewayHarness.EniA);

        var one = await BurstAsync(client, 5, KeyValue);
        var two = await BurstAsync(client, 5, OtherKeyValue);

        Assert.Equal(3, one.Count(s => s == 200));
        Assert.Equal(3, two.Count(s => s == 200));
    }

    [Fact]
    public async Task Invoke_StageMethodSettings_SpecificMethodOverridesStageDefault()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var model = WithPlan(EchoApi(), Plan(), new MethodSetting("/*", "*", 10, 4), new MethodSetting("/~1toys", "GET", 10, 1));
        await using var harness = await StartAsync(model, time);
        var client = harness.Client(GatewayHarness.EniA);

        var pets = await BurstAsync(client, 10, path: "pets");
        var toys = await BurstAsync(client, 10, path: "toys");

        Assert.Equal(4, pets.Count(s => s == 200));
        Assert.Equal(6, pets.Count(s => s == 429));
        Assert.Equal(1, toys.Count(s => s == 200));
    }

    [Fact]
    public async Task Invoke_AccountThrottle_AppliesAcrossMethods()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        await using var harness = await StartAsync(WithPlan(EchoApi(), Plan()), time, new ThrottleSettings(100, 7));
        var client = harness.Client(GatewayHarness.EniA);

        var pets = await BurstAsync(client, 5, path: "pets");
        var toys = await BurstAsync(client, 5, path: "toys");

        Assert.Equal(7, pets.Concat(toys).Count(s => s == 200));
        Assert.Equal(3, pets.Concat(toys).Count(s => s == 429));
    }

    [Fact]
    public async Task Invoke_RefusedByStageThrottle_DoesNotCountAgainstQuota()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var model = WithPlan(EchoApi(apiKeyRequired: true), Plan(quota: new QuotaSettings(2, QuotaPeriod.Day, 0)), new MethodSetting("/*", "*", 1, 1));
        await using var harness = await StartAsync(model, time);
        var client = harness.Client(GatewayHarness.EniA);

        var burst = await BurstAsync(client, 3, KeyValue);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await BurstAsync(client, 1, KeyValue);
        time.Advance(TimeSpan.FromSeconds(1));
        var spent = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "x-api-key", KeyValue } } });

        Assert.Equal((1, 2), (burst.Count(s => s == 200), burst.Count(s => s == 429)));
        Assert.Equal([200], second);
        await Expect.ErrorAsync(spent, 429, """{"message":"Limit Exceeded"}""", "LimitExceededException");
    }

    [Fact]
    public async Task Invoke_ThrottledWithGatewayResponseOverride_UsesTheApisResponse()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var api = EchoApi(apiKeyRequired: true) with
        {
            GatewayResponses =
            [
                new GatewayResponse("THROTTLED", "503", ImmutableDictionary<string, string>.Empty.Add("gatewayresponse.header.Retry-After", "'1'"),
                    ImmutableDictionary<string, string>.Empty.Add("application/json", """{"slow down":$context.error.messageString}""")),
            ],
        };
        await using var harness = await StartAsync(WithPlan(api, Plan(throttle: new ThrottleSettings(1, 1))), time);

        var statuses = await BurstAsync(harness.Client(GatewayHarness.EniA), 2, KeyValue);
        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "x-api-key", KeyValue } } });

        Assert.Contains(503, statuses);
        await Expect.ErrorAsync(response, 503, """{"slow down":"Too Many Requests"}""", "TooManyRequestsException");
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
    }
}
