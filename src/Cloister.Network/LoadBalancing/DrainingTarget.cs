using System.Net;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A target an update removed from its group, <c>draining</c> for the group's deregistration delay
/// (<c>deregistration_delay.timeout_seconds</c>): it gets no new connections or requests, while those already relayed
/// to it go on. When the delay ends, it is gone and its connections are ended where ELB ends them — an application load
/// balancer's requests still in flight, and a network load balancer's connections when the group has
/// <c>deregistration_delay.connection_termination.enabled</c> — or else left to go on, unwatched. The timer and the
/// connections are its own, so it outlives the update that made it and the next ones, which hand it on.
/// </summary>
internal sealed class DrainingTarget : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TrackedConnections _connections = new();
    private readonly string _groupName;
    private readonly bool _terminates;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private State _state;
    private Action<TrackedConnection>? _registeredAgain;

    public DrainingTarget(TargetGroupPlan plan, IPEndPoint target, TimeProvider time, ILogger logger)
    {
        Target = target;
        _groupName = plan.Group.Name;
        _terminates = plan.Group.Protocol is "HTTP" or "HTTPS" || plan.Group.Attributes.TerminateOnDeregistration;
        _logger = logger;
        var delay = TimeSpan.FromSeconds(plan.Group.Attributes.DeregistrationDelaySeconds);
        LoadBalancerLog.TargetDraining(logger, _groupName, target, delay.TotalSeconds);
        if (delay == TimeSpan.Zero)
        {
            End();
            return;
        }

        // The timer may fire before it is stored here: then End leaves it, and it is disposed below.
        _timer = time.CreateTimer(_ => End(), null, delay, Timeout.InfiniteTimeSpan);
        if (Ended)
        {
            _timer.Dispose();
        }
    }

    private enum State
    {
        Draining,
        Ended,
        RegisteredAgain,
    }

    public IPEndPoint Target { get; }

    /// <summary>Whether the delay is over (or the draining was called off): the target is no longer listed as draining.</summary>
    public bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _state != State.Draining;
            }
        }
    }

    /// <summary>
    /// Drains <paramref name="connection"/> with the target's others; after the delay, ends it at once where the delay's
    /// end ends connections (or leaves it); after the target was registered again, hands it back to its node's view.
    /// </summary>
    public void Adopt(TrackedConnection connection)
    {
        Action<TrackedConnection>? registeredAgain;
        lock (_gate)
        {
            if (_state == State.Draining)
            {
                _connections.Add(connection);
                return;
            }

            registeredAgain = _registeredAgain;
        }

        if (registeredAgain is not null)
        {
            registeredAgain(connection);
        }
        else if (_terminates)
        {
            connection.Terminate();
        }
    }

    /// <summary>
    /// Calls the draining off for a target registered again: its connections go to <paramref name="route"/> (their nodes'
    /// views), watched for health again and never ended by the delay.
    /// </summary>
    public void Reregister(Action<TrackedConnection> route)
    {
        lock (_gate)
        {
            if (_state != State.Draining)
            {
                return;
            }

            _state = State.RegisteredAgain;
            _registeredAgain = route;
        }

        _timer?.Dispose();
        foreach (var connection in _connections.TakeAll())
        {
            route(connection);
        }
    }

    /// <summary>Stops the timer without ending anything (the load balancers are stopping).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _state = _state == State.Draining ? State.Ended : _state;
        }

        _timer?.Dispose();
    }

    private void End()
    {
        lock (_gate)
        {
            if (_state != State.Draining)
            {
                return;
            }

            _state = State.Ended;
        }

        _timer?.Dispose();
        var connections = _connections.TakeAll();
        if (_terminates)
        {
            foreach (var connection in connections)
            {
                connection.Terminate();
            }
        }

        LoadBalancerLog.TargetDeregistered(_logger, _groupName, Target, _terminates ? connections.Count : 0, _terminates ? 0 : connections.Count);
    }
}
