using Cloister.Tables.Hosting.Http;
using Microsoft.AspNetCore.Connections;

namespace Cloister.Tables.Tests.Hosting.Http;

/// <summary>Kestrel's keep-alive and request-head timeouts, kept by the service's own HTTP/1.1 layer.</summary>
public sealed class ConnectionDeadlinesTests
{
    private static ConnectionDeadlines Short() => new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task Idle_PastKeepAlive_ConnectionAborted()
    {
        using var deadlines = Short();
        var connection = new DefaultConnectionContext();
        using var entry = deadlines.Track(connection);
        entry.Idle();

        await Task.Delay(150);
        Assert.False(connection.ConnectionClosed.IsCancellationRequested);
        await WaitForAsync(() => connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task HeadStarted_PastHeadTimeout_AbortedBeforeKeepAlive()
    {
        using var deadlines = new ConnectionDeadlines(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));
        var connection = new DefaultConnectionContext();
        using var entry = deadlines.Track(connection);
        entry.Idle();
        entry.HeadStarted();

        await WaitForAsync(() => connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task Busy_LongRequest_NotAborted()
    {
        using var deadlines = Short();
        var connection = new DefaultConnectionContext();
        using var entry = deadlines.Track(connection);
        entry.Idle();
        entry.Busy();

        await Task.Delay(500);
        Assert.False(connection.ConnectionClosed.IsCancellationRequested);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
