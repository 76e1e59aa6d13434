using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Lambda retires execution environments every few hours even when they are invoked continuously; here the maximum
/// lifetime is short, and a function invoked without a pause still moves to a new environment with new credentials.
/// </summary>
public sealed class EnvironmentLifetimeTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    IdleTimeout = TimeSpan.FromHours(1),
    MaximumLifetime = TimeSpan.FromMilliseconds(400),
    Credentials = NumberedCredentials("ASIALIFE"),
})
{
    [Fact]
    public async Task ReapIdle_EnvironmentOlderThanMaximumLifetime_RetiredAndNextInitGetsNewCredentials()
    {
        const string Code = "exports.handler = async () => process.env.AWS_ACCESS_KEY_ID + ' ' + process.pid;";
        var deployed = await Service.DeployAsync(new LambdaFunction(
            "aging", "aging", "nodejs20.x", "index.handler", null, Code, 128, 10, ImmutableDictionary<string, string>.Empty, null, null, "arn:aws:iam::123456789012:role/aging-role"));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var first = await KeyAndPidAsync();
        var seen = first;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (seen == first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            seen = await KeyAndPidAsync();
        }

        Assert.NotEqual(first.Key, seen.Key);
        Assert.NotEqual(first.Pid, seen.Pid);
        Assert.True(await ServiceFixture.ProcessGoneAsync(int.Parse(first.Pid, CultureInfo.InvariantCulture)), $"process {first.Pid} still runs");
    }

    [Fact]
    public async Task ReapIdle_ProvisionedEnvironmentOlderThanMaximumLifetime_ReplacedByANewOne()
    {
        const string Code = "exports.handler = async () => 'ok';";
        var latest = new LambdaFunction(
            "kept", "kept", "nodejs20.x", "index.handler", null, Code, 128, 10, ImmutableDictionary<string, string>.Empty, null, null, "arn:aws:iam::123456789012:role/kept-role");
        var deployed = await Service.DeployAsync(latest with { Versions = [new FunctionVersion("V1", "1", null, latest) { ProvisionedConcurrency = 1 }] });
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        // The 400 ms lifetime may already have retired the environment initialized at deploy (its replacement starting): the
        // first one seen alone is the one that must be replaced next.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var now = Service.ProcessIdsOf("kept");
        while (now.Count != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            now = Service.ProcessIdsOf("kept");
        }

        var first = Assert.Single(now);
        while ((now.Count != 1 || now.Contains(first)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            now = Service.ProcessIdsOf("kept");
        }

        Assert.DoesNotContain(first, now);
        Assert.Single(now);
        Assert.True(await ServiceFixture.ProcessGoneAsync(first), $"process {first} still runs");
    }

    private async Task<(string Key, string Pid)> KeyAndPidAsync()
    {
        var result = await Service.InvokeAsync("aging", "{}"u8.ToArray());
        Assert.True(result.Succeeded);
        var parts = Encoding.UTF8.GetString(result.Payload.Span).Trim('"').Split(' ');
        return (parts[0], parts[1]);
    }
}
