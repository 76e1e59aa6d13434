using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Lambda's refusals before a function runs: the Invoke payload quotas (6 MB synchronous, 1 MB asynchronous) and the
/// concurrency limit of a function without reserved concurrency (here one environment).
/// </summary>
public sealed class InvokeLimitTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state, UnreservedConcurrencyLimit = 1 })
{
    [Fact]
    public async Task InvokeAsync_UnreservedLimitReached_ReasonIsConcurrentInvocationLimitExceeded()
    {
        await DeployAsync("busy", "exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return 'done'; };");
        var slow = Service.InvokeAsync("busy", """{"ms":1500}"""u8.ToArray());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf("busy").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var throttled = await Service.InvokeAsync("busy", """{"ms":0}"""u8.ToArray());

        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal("TooManyRequestsException", throttled.ServiceErrorType);
        var body = JsonDocument.Parse(throttled.Payload).RootElement;
        Assert.Equal("ConcurrentInvocationLimitExceeded", body.GetProperty("Reason").GetString());
        Assert.True((await slow).Succeeded);
    }

    [Fact]
    public async Task InvokeAsync_PayloadOver6MB_Returns413WithoutRunningTheFunction()
    {
        await DeployAsync("sync", "exports.handler = async (e) => e.length;");
        var refused = await Service.InvokeAsync("sync", JsonString(6_291_457));

        Assert.Equal(413, refused.StatusCode);
        Assert.Equal("RequestEntityTooLargeException", refused.ServiceErrorType);
        Assert.Null(refused.FunctionError);
        var body = JsonDocument.Parse(refused.Payload).RootElement;
        Assert.Equal("Request must be smaller than 6291456 bytes for the InvokeFunction operation", body.GetProperty("message").GetString());
        Assert.Empty(Service.ProcessIdsOf("sync"));
        var atTheLimit = await Service.InvokeAsync("sync", JsonString(6_291_456));
        Assert.True(atTheLimit.Succeeded, Encoding.UTF8.GetString(atTheLimit.Payload.Span));
    }

    [Fact]
    public async Task InvokeAsync_EventPayloadOver1MB_Returns413AndQueuesNothing()
    {
        await DeployAsync("async", "exports.handler = async (e) => e.length;");
        var refused = await Service.InvokeAsync("async", JsonString(1_048_577), InvocationType.Event);

        Assert.Equal(413, refused.StatusCode);
        Assert.Equal("RequestEntityTooLargeException", refused.ServiceErrorType);
        var body = JsonDocument.Parse(refused.Payload).RootElement;
        Assert.Equal("1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)", body.GetProperty("message").GetString());
        var accepted = await Service.InvokeAsync("async", JsonString(1_048_576), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        var log = await LogContainingAsync("async", "REPORT RequestId");
        Assert.Equal(1, log.Split("START RequestId").Length - 1);
    }

    /// <summary>A JSON string of exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] JsonString(int bytes) => Encoding.UTF8.GetBytes("\"" + new string('x', bytes - 2) + "\"");

    private async Task DeployAsync(string name, string inline)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, inline, 128, 10, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }
}
