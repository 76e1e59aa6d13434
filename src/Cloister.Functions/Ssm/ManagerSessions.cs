namespace Cloister.Functions.Ssm;

/// <summary>
/// The sessions StartSession admitted, in memory, in the order they started. No data channel is served, so a session
/// never connects: it is <c>Connecting</c> (Active) until TerminateSession or Session Manager's idle timeout
/// (<see cref="IdleTimeout"/>) ends it, then <c>Terminated</c> (History).
/// </summary>
internal sealed class ManagerSessions
{
    /// <summary>Session Manager's default idle session timeout, after which an unused session is terminated.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(20);

    private readonly Lock _lock = new();
    private readonly List<ManagerSession> _sessions = [];

    public void Add(ManagerSession session)
    {
        lock (_lock)
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Every session as of <paramref name="nowMilliseconds"/>, the latest first, one left idle ended at its timeout.</summary>
    public List<ManagerSession> All(long nowMilliseconds)
    {
        lock (_lock)
        {
            return [.. Enumerable.Reverse(_sessions).Select(s => AsOf(s, nowMilliseconds))];
        }
    }

    public ManagerSession? Find(string sessionId, long nowMilliseconds) =>
        All(nowMilliseconds).Find(s => s.SessionId == sessionId);

    /// <summary>Ends the session (TerminateSession); false when there is no such session.</summary>
    public bool Terminate(string sessionId, long nowMilliseconds)
    {
        lock (_lock)
        {
            var index = _sessions.FindIndex(s => s.SessionId == sessionId);
            if (index < 0)
            {
                return false;
            }

            _sessions[index] = AsOf(_sessions[index], nowMilliseconds) is { EndMilliseconds: null } open ? open with { EndMilliseconds = nowMilliseconds } : _sessions[index];
            return true;
        }
    }

    private static ManagerSession AsOf(ManagerSession session, long nowMilliseconds)
    {
        var idleEnd = session.StartMilliseconds + (long)IdleTimeout.TotalMilliseconds;
        return session.EndMilliseconds is null && nowMilliseconds >= idleEnd ? session with { EndMilliseconds = idleEnd } : session;
    }
}
