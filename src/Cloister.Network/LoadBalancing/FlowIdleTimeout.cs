namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A network load balancer's TCP idle timeout for one relayed flow (<c>tcp.idle_timeout.seconds</c>): a flow through
/// which neither side sent anything for that long is forgotten, and ELB answers the next packet on it with a reset.
/// Nothing happens at the moment the timeout passes (the flow is silent; ELB sends nothing either): the relay asks
/// <see cref="Touch"/> whenever data or a FIN arrives from either side, and a forgotten flow stays forgotten.
/// <paramref name="forgotten"/> runs once, when the first packet finds the flow forgotten.
/// </summary>
internal sealed class FlowIdleTimeout(TimeProvider time, TimeSpan timeout, Action? forgotten = null)
{
    private long _lastTicks = time.GetUtcNow().UtcTicks;
    private int _forgotten;

    /// <summary>
    /// Records traffic now; false when the flow had been idle for the timeout before it (or was forgotten already): the
    /// packet meets a node that no longer knows the flow.
    /// </summary>
    public bool Touch()
    {
        if (Volatile.Read(ref _forgotten) != 0)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Exchange(ref _lastTicks, now);
        if (now - last >= timeout.Ticks)
        {
            if (Interlocked.Exchange(ref _forgotten, 1) == 0)
            {
                forgotten?.Invoke();
            }

            return false;
        }

        return true;
    }
}
