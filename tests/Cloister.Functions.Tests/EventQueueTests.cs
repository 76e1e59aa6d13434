using System.Collections.Immutable;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Event (asynchronous) invocations as Lambda queues them (invocation-async-error-handling): a throttled (429) or
/// failed-by-Lambda (5xx) attempt goes back to the queue and is tried again with a backoff from 1 second up to 5
/// minutes, for up to 6 hours; only function errors use the budget of two retries. The service's clock is a stepped
/// one, so hours pass in milliseconds.
/// </summary>
public sealed class EventQueueTests : IAsyncLifetime
{
    private const int EventAttemptFailed = 7;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-events-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly RecordingLogger _logger = new();
    private readonly SteppedClock _clock = new();
    private LambdaService _service = null!;

    public Task InitializeAsync()
    {
        _service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root) }, null, _logger.Factory(), _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task InvokeAsync_EventThrottledMoreThanThreeTimes_IsRetriedUntilItRuns()
    {
        // Reserved concurrency 0: every attempt is throttled until the function is deployed again without it.
        await DeployAsync(reservedConcurrency: 0);
        var accepted = await _service.InvokeAsync("queued", """{"n":1}"""u8.ToArray(), InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);

        Assert.True(await AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => _logger.Count(EventAttemptFailed) >= 6),
            $"the event was tried {_logger.Count(EventAttemptFailed)} times, then dropped");

        await DeployAsync(reservedConcurrency: null);
        Assert.True(await AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => _service.ProcessIdsOf("queued").Count > 0),
            "the event never ran once the function could take it");
        var log = await LogAsync(l => l.Contains("REPORT RequestId", StringComparison.Ordinal));
        Assert.Equal(1, log.Split("START RequestId").Length - 1);
    }

    [Fact]
    public async Task InvokeAsync_EventThrottledForSixHours_IsDropped()
    {
        await DeployAsync(reservedConcurrency: 0);
        await _service.InvokeAsync("queued", "{}"u8.ToArray(), InvocationType.Event);

        // The delays double from 1 s to 5 minutes (511 s for the first nine retries), then stay at 5 minutes: the
        // first attempt and 79 retries fit in six hours. The clock moves a minute at a time, so some early ones merge.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(7); elapsed += TimeSpan.FromMinutes(1))
        {
            await SettledCountAsync();
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var attempts = await SettledCountAsync();
        Assert.InRange(attempts, 70, 80);
        Assert.Contains(_logger.Entries, e => e.Message.Contains("dropped", StringComparison.Ordinal));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(attempts, await SettledCountAsync());
    }

    private async Task DeployAsync(int? reservedConcurrency)
    {
        var deployed = await _service.DeployAsync(new LambdaFunction(
            "queued", "queued", "nodejs20.x", "index.handler", null, "exports.handler = async (e) => e;",
            128, 60, ImmutableDictionary<string, string>.Empty, null, reservedConcurrency));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    /// <summary>Moves the clock on a step at a time until <paramref name="condition"/> holds (20 s of real time at most).</summary>
    private async Task<bool> AdvanceUntilAsync(TimeSpan step, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            _clock.Advance(step);
            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>The count of failed attempts once it has stopped changing for a moment (the queue has caught up with the clock).</summary>
    private async Task<int> SettledCountAsync()
    {
        var count = _logger.Count(EventAttemptFailed);
        for (var quiet = 0; quiet < 3;)
        {
            await Task.Delay(5);
            var now = _logger.Count(EventAttemptFailed);
            quiet = now == count ? quiet + 1 : 0;
            count = now;
        }

        return count;
    }

    private async Task<string> LogAsync(Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var log = string.Empty;
        while (!condition(log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            var path = _service.LogPathOf("queued");
            log = await ServiceFixture.CompleteLinesAsync(path);
        }

        return log;
    }
}
