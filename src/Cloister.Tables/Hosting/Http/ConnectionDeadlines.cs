using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Cloister.Tables.Hosting.Http;

/// <summary>
/// Kestrel's HTTP timeouts, kept now that its HTTP stack is not in the path: a connection idle between
/// requests is closed after the keep-alive timeout (130 s, Kestrel's KeepAliveTimeout), one that has
/// started a request head without finishing it after the head timeout (30 s, Kestrel's
/// RequestHeadersTimeout). Bodies and requests being answered have no deadline (as before:
/// MinRequestBodyDataRate was off). One timer checks every connection once a second, as Kestrel's
/// heartbeat does; a request costs one clock read and two field writes.
/// </summary>
internal sealed class ConnectionDeadlines : IDisposable
{
    private readonly ConcurrentDictionary<Entry, byte> _connections = new();
    private readonly ITimer _timer;
    private readonly long _keepAlive;
    private readonly long _requestHead;

    public ConnectionDeadlines()
        : this(TimeSpan.FromSeconds(130), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1))
    {
    }

    public ConnectionDeadlines(TimeSpan keepAlive, TimeSpan requestHead, TimeSpan period)
    {
        _keepAlive = Ticks(keepAlive);
        _requestHead = Ticks(requestHead);
        _timer = TimeProvider.System.CreateTimer(static state => ((ConnectionDeadlines)state!).Check(), this, period, period);
    }

    public Entry Track(ConnectionContext connection)
    {
        var entry = new Entry(this, connection);
        _connections.TryAdd(entry, 0);
        return entry;
    }

    public void Dispose() => _timer.Dispose();

    private static long Now => TimeProvider.System.GetTimestamp();

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * TimeProvider.System.TimestampFrequency);

    private void Check()
    {
        var now = Now;
        foreach (var entry in _connections.Keys)
        {
            if (entry.IsPast(now))
            {
                entry.Connection.Abort(new ConnectionAbortedException("The connection was idle past its deadline."));
            }
        }
    }

    /// <summary>One connection's deadline, a timestamp (long.MaxValue for none).</summary>
    internal sealed class Entry(ConnectionDeadlines owner, ConnectionContext connection) : IDisposable
    {
        private long _deadline = long.MaxValue;

        public ConnectionContext Connection { get; } = connection;

        /// <summary>Waiting for the next request.</summary>
        public void Idle() => Volatile.Write(ref _deadline, Now + owner._keepAlive);

        /// <summary>A request head has started arriving; only tightens the deadline.</summary>
        public void HeadStarted()
        {
            var deadline = Now + owner._requestHead;
            if (deadline < Volatile.Read(ref _deadline))
            {
                Volatile.Write(ref _deadline, deadline);
            }
        }

        /// <summary>A request is being read or answered: no deadline.</summary>
        public void Busy() => Volatile.Write(ref _deadline, long.MaxValue);

        public bool IsPast(long now) => now > Volatile.Read(ref _deadline);

        public void Dispose() => owner._connections.TryRemove(this, out _);
    }
}
