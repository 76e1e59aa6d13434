using System.Text.Json;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.AccessControl;

/// <summary>API keys and usage plan quotas (spec §2, §5): 403 Forbidden for a bad key, 429 Limit Exceeded for a spent quota.</summary>
public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);

    private static async Task<GatewayHarness> StartAsync(GatewayModel model, ManualTime? time = null)
    {
        var harness = await GatewayHarness.StartAsync(model, time: time);
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    private static Task<HttpResponseMessage> GetAsync(GatewayHarness harness, string? key, string path = "pets")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/{path}");
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        return harness.Client(GatewayHarness.EniA).SendAsync(request);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key-of-this-sandbox-000")]
    [InlineData(OtherKeyValue)]
    [InlineData("cloister-disabled-key-0003")]
    public async Task Invoke_KeyMissingUnknownNotInPlanOrDisabled_ReturnsForbidden(string? key)
    {
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan()));

        var response = await GetAsync(harness, key);

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_ValidKey_ReachesFunctionWithKeyInIdentity()
    {
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan()));

        var response = await GetAsync(harness, KeyValue);

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var identity = evt.RootElement.GetProperty("requestContext").GetProperty("identity");
        Assert.Equal(KeyValue, identity.GetProperty("apiKey").GetString());
        Assert.Equal("key0000001", identity.GetProperty("apiKeyId").GetString());
    }

    [Fact]
    public async Task Invoke_MethodWithoutApiKeyRequired_IgnoresMissingKey()
    {
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: false), Plan()));

        var response = await GetAsync(harness, null);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_DailyQuotaSpent_ReturnsLimitExceededUntilNextUtcDay()
    {
        var time = new ManualTime(Start);
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan(quota: new QuotaSettings(3, QuotaPeriod.Day, 0))), time);

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((int)(await GetAsync(harness, KeyValue)).StatusCode);
        }

        var spent = await GetAsync(harness, KeyValue);
        time.Advance(TimeSpan.FromHours(1));
        var nextDay = await GetAsync(harness, KeyValue);

        Assert.Equal([200, 200, 200, 429, 429], statuses);
        await Expect.ErrorAsync(spent, 429, """{"message":"Limit Exceeded"}""", "LimitExceededException");
        Assert.Equal(200, (int)nextDay.StatusCode);
    }

    [Fact]
    public async Task Invoke_WeeklyQuotaWithMondayOffset_ResetsOnMonday()
    {
        // 2026-03-10 23:00 is a Tuesday: the week runs from Monday 9th to Sunday 15th, the next starts at Monday 16th 00:00.
        var time = new ManualTime(Start);
        await using var harness = await StartAsync(WithPlan(EchoApi(apiKeyRequired: true), Plan(quota: new QuotaSettings(1, QuotaPeriod.Week, 1))), time);

        var first = await GetAsync(harness, KeyValue);
        time.Advance(TimeSpan.FromDays(5));
        var sunday = await GetAsync(harness, KeyValue);
        time.Advance(TimeSpan.FromHours(1));
        var monday = await GetAsync(harness, KeyValue);

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(429, (int)sunday.StatusCode);
        Assert.Equal(200, (int)monday.StatusCode);
    }

    [Fact]
    public async Task Update_Redeploy_KeepsQuotaSpent()
    {
        var time = new ManualTime(Start);
        var model = WithPlan(EchoApi(apiKeyRequired: true), Plan(quota: new QuotaSettings(1, QuotaPeriod.Month, 0)));
        await using var harness = await StartAsync(model, time);

        var first = await GetAsync(harness, KeyValue);
        harness.Server.Update(model);
        var afterUpdate = await GetAsync(harness, KeyValue);

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(429, (int)afterUpdate.StatusCode);
    }
}
