using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Throttling;

namespace Cloister.Gateway.Tests.Throttling;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_FrozenClock_AllowsExactlyBurst()
    {
        var bucket = new TokenBucket(10, 3, new ManualTime(DateTimeOffset.UnixEpoch));

        var taken = Enumerable.Range(0, 10).Count(_ => bucket.TryTake());

        Assert.Equal(3, taken);
    }

    [Fact]
    public void TryTake_FractionsOfSeconds_AccumulateToWholeTokens()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(4, 1, time);
        Assert.True(bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(125));
        var early = bucket.TryTake();
        time.Advance(TimeSpan.FromMilliseconds(125));
        var onTime = bucket.TryTake();

        Assert.False(early);
        Assert.True(onTime);
    }

    [Fact]
    public void TryTake_LongIdle_RefillsOnlyToBurst()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(100, 2, time);
        time.Advance(TimeSpan.FromHours(1));

        var taken = Enumerable.Range(0, 5).Count(_ => bucket.TryTake());

        Assert.Equal(2, taken);
    }

    [Fact]
    public void TryTake_ManyThreadsFrozenClock_AllowExactlyBurstInTotal()
    {
        var bucket = new TokenBucket(10, 5_000, new ManualTime(DateTimeOffset.UnixEpoch));
        var taken = 0;

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                if (bucket.TryTake())
                {
                    Interlocked.Increment(ref taken);
                }
            }
        });

        Assert.Equal(5_000, taken);
    }

    [Fact]
    public void TryTake_RateZero_AllowsBurstOnceAndNeverRefills()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(0, 2, time);

        var first = Enumerable.Range(0, 5).Count(_ => bucket.TryTake());
        time.Advance(TimeSpan.FromDays(1));
        var later = Enumerable.Range(0, 5).Count(_ => bucket.TryTake());

        Assert.Equal(2, first);
        Assert.Equal(0, later);
    }

    [Fact]
    public void TryTake_BurstZero_RefusesEveryRequest()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(1_000, 0, time);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void Bucket_SameLimitsAfterRedeploy_IsKept()
    {
        var state = new ThrottleState(new ManualTime(DateTimeOffset.UnixEpoch));
        var first = state.Bucket("a", 1, 1);

        Assert.Same(first, state.Bucket("a", 1, 1));
        Assert.NotSame(first, state.Bucket("a", 2, 1));
    }
}
