namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The connections one owner (a node's <see cref="TargetHealth"/>, a <see cref="DrainingTarget"/>) watches. Connections
/// that ended are dropped as the set is read, so one that ends while it moves between owners is never ended again.
/// </summary>
internal sealed class TrackedConnections
{
    private readonly Lock _gate = new();
    private readonly List<TrackedConnection> _connections = [];

    public void Add(TrackedConnection connection)
    {
        lock (_gate)
        {
            connection.Owner = this;
            _connections.Add(connection);
        }
    }

    public void Remove(TrackedConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>How many live connections it watches.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count(c => !c.Ended);
            }
        }
    }

    /// <summary>Removes and returns every live connection.</summary>
    public List<TrackedConnection> TakeAll()
    {
        lock (_gate)
        {
            var taken = _connections.Where(c => !c.Ended).ToList();
            _connections.Clear();
            return taken;
        }
    }

    /// <summary>The live connections that <paramref name="match"/> accepts, left in place.</summary>
    public List<TrackedConnection> Where(Func<TrackedConnection, bool> match)
    {
        lock (_gate)
        {
            _connections.RemoveAll(c => c.Ended);
            return [.. _connections.Where(match)];
        }
    }
}
