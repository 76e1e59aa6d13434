using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Concurrency across versions, counted as Lambda counts it: a function's reserved concurrency covers <c>$LATEST</c>, its
/// versions and aliases together; the unreserved pool (here one) is shared by every version of every function without
/// reserved concurrency. Only invocations in flight count, not idle environments.
/// </summary>
public sealed class VersionConcurrencyTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state, UnreservedConcurrencyLimit = 1 })
{
    /// <summary>
    /// With reserved concurrency 1, the alias is throttled while <c>$LATEST</c> runs; without, in a pool of one,
    /// <c>$LATEST</c> is throttled while version 1 runs. Once that invocation has ended its idle environment does not
    /// keep the other version from running.
    /// </summary>
    [Theory]
    [InlineData(1, "", ":live", "1", "ReservedFunctionConcurrentInvocationLimitExceeded")]
    [InlineData(null, ":1", "", "$LATEST", "ConcurrentInvocationLimitExceeded")]
    public async Task InvokeAsync_OtherVersionWhileOneBusy_IsThrottledForTheWholeFunction(
        int? reservedConcurrency, string busy, string other, string otherVersion, string reason)
    {
        await DeployAsync("versioned", reservedConcurrency);
        var slow = await StartSlowAsync("versioned" + busy);

        var throttled = await InvokePidAsync("versioned" + other);

        AssertThrottled(throttled, reason);
        Assert.True((await slow).Succeeded);
        var after = await InvokePidAsync("versioned" + other);
        Assert.True(after.Succeeded, Encoding.UTF8.GetString(after.Payload.Span));
        Assert.Equal(otherVersion, after.ExecutedVersion);
    }

    [Fact]
    public async Task InvokeAsync_OtherFunctionWhileOneBusyUnreserved_IsThrottledAsConcurrent()
    {
        await DeployAsync("first");
        await DeployAsync("second");
        var slow = await StartSlowAsync("first:live");

        var throttled = await InvokePidAsync("second");

        AssertThrottled(throttled, "ConcurrentInvocationLimitExceeded");
        Assert.True((await slow).Succeeded);
    }

    [Fact]
    public async Task InvokeAsync_ReservedFunctionBusy_LeavesTheUnreservedPoolFree()
    {
        await DeployAsync("reserving", reservedConcurrency: 1);
        await DeployAsync("unreserved");
        var slow = await StartSlowAsync("reserving");

        var other = await InvokePidAsync("unreserved:1");

        Assert.True(other.Succeeded, Encoding.UTF8.GetString(other.Payload.Span));
        Assert.True((await slow).Succeeded);
    }

    [Fact]
    public async Task ConcurrentExecutionsOf_OneBusyOneThrottled_CountsTheAcceptedOneUntilItEnds()
    {
        await DeployAsync("counted");
        Assert.Equal(0, Service.ConcurrentExecutionsOf("counted"));
        var slow = await StartSlowAsync("counted:live");

        var throttled = await InvokePidAsync("counted");

        AssertThrottled(throttled, "ConcurrentInvocationLimitExceeded");
        Assert.Equal(1, Service.ConcurrentExecutionsOf("counted"));
        Assert.True((await slow).Succeeded);
        Assert.Equal(0, Service.ConcurrentExecutionsOf("counted"));
        Assert.Equal(0, Service.ConcurrentExecutionsOf("missing"));
    }

    /// <summary>Starts a 1.5 s invocation of <paramref name="qualified"/> and returns once its environment runs.</summary>
    private async Task<Task<InvocationResult>> StartSlowAsync(string qualified)
    {
        var slow = Service.InvokeAsync(qualified, """{"action":"sleep","ms":1500}"""u8.ToArray()).AsTask();
        var name = qualified.Split(':')[0];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf(name).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.False(slow.IsCompleted, "the slow invocation ended before the second one was made");
        return slow;
    }

    private async Task<InvocationResult> InvokePidAsync(string qualified) =>
        await Service.InvokeAsync(qualified, """{"action":"pid"}"""u8.ToArray());

    private static void AssertThrottled(InvocationResult result, string reason)
    {
        Assert.Equal((429, "TooManyRequestsException"), (result.StatusCode, result.ServiceErrorType));
        Assert.Equal(reason, JsonDocument.Parse(result.Payload).RootElement.GetProperty("Reason").GetString());
    }

    /// <summary>The Node.js test function with version 1 and alias <c>live</c> on it.</summary>
    private async Task DeployAsync(string name, int? reservedConcurrency = null)
    {
        var deployed = await Service.DeployAsync(ServiceFixture.WithVersionOne(new LambdaFunction(
            name, name, "nodejs20.x", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "node"), null, 128, 10,
            ImmutableDictionary<string, string>.Empty, null, reservedConcurrency)));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }
}
