using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// One connection a network load balancer node relays to a target, or one request an application load balancer node
/// has in flight to it: what ends it when its target turns unhealthy or its deregistration delay ends. It moves
/// between owners (<see cref="TrackedConnections"/>) as the model changes: a target kept by an update keeps watching
/// it, a removed one drains it (<see cref="DrainingTarget"/>). Dispose when the connection or request ends.
/// </summary>
/// <param name="target">The target it goes to.</param>
/// <param name="node">The node that relays it.</param>
/// <param name="zone">The node's Availability Zone (whether the node still sends to the target depends on it).</param>
/// <param name="endsWhenUnhealthy">
/// Whether it ends when its target turns unhealthy and the node no longer sends to it: a network load balancer's
/// connection does (ELB's connection termination for unhealthy targets), an application load balancer's request does not.
/// </param>
/// <param name="terminate">Ends it (resets the connection, cuts the request).</param>
internal sealed class TrackedConnection(IPEndPoint target, IPAddress node, string? zone, bool endsWhenUnhealthy, Action terminate) : IDisposable
{
    private TrackedConnections? _owner;
    private int _ended;

    public IPEndPoint Target => target;

    public IPAddress Node => node;

    public string? Zone => zone;

    public bool EndsWhenUnhealthy => endsWhenUnhealthy;

    /// <summary>Whether it ended (by itself or terminated): an owner drops it and never terminates it.</summary>
    public bool Ended => Volatile.Read(ref _ended) != 0;

    /// <summary>The set that holds it now (set by <see cref="TrackedConnections.Add"/>).</summary>
    internal TrackedConnections? Owner
    {
        get => Volatile.Read(ref _owner);
        set => Volatile.Write(ref _owner, value);
    }

    /// <summary>Ends it once; later calls, and calls after it ended by itself, do nothing.</summary>
    public void Terminate()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            terminate();
        }
    }

    public void Dispose()
    {
        // Marked first: an owner that takes it over concurrently drops it at its next pass instead of ending it.
        Volatile.Write(ref _ended, 1);
        Owner?.Remove(this);
    }
}
