using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Set on every connection an application load balancer accepts: which listener and which node took it, and what its
/// clients' side timeouts need — when it opened (the HTTP client keepalive duration counts from then, whatever the
/// traffic) and since when it has had no request in flight (the idle timeout counts from then: an HTTP/2 PING does not
/// reset it, as on ELB).
/// </summary>
internal sealed class ApplicationConnection(string listenerId, IPAddress node, DateTimeOffset opened)
{
    private readonly Lock _gate = new();
    private int _inFlight;
    private readonly DateTimeOffset _opened = opened;
    private DateTimeOffset _idleSince = opened;

    public string ListenerId => listenerId;

    public IPAddress Node => node;

    /// <summary>Whether the connection is older than <paramref name="keepAlive"/> at <paramref name="now"/>.</summary>
    public bool OutlivedAt(DateTimeOffset now, TimeSpan keepAlive) => now - _opened >= keepAlive;

    /// <summary>Whether no request has been in flight for <paramref name="idleTimeout"/> at <paramref name="now"/>.</summary>
    public bool IdleAt(DateTimeOffset now, TimeSpan idleTimeout)
    {
        lock (_gate)
        {
            return _inFlight == 0 && now - _idleSince >= idleTimeout;
        }
    }

    public void RequestStarted()
    {
        lock (_gate)
        {
            _inFlight++;
        }
    }

    public void RequestEnded(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                _idleSince = now;
            }
        }
    }
}
