using Cloister.Network.Sockets;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Checks every target of one target group from one node at the group's interval, the first round at once, and another
/// at once when asked (<see cref="CheckNow"/>); tells <c>changed</c> when a target's state changed, so what follows
/// health (ELB's DNS failover) need not poll.
/// </summary>
internal sealed class HealthChecker : IAsyncDisposable
{
    private readonly TargetHealth _health;
    private readonly IEniSockets _sockets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action? _changed;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private CancellationTokenSource _wake = new();

    public HealthChecker(TargetHealth health, IEniSockets sockets, TimeProvider time, ILogger logger, Action? changed = null)
    {
        _changed = changed;
        _health = health;
        _sockets = sockets;
        _time = time;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Ends the wait for the next round: the targets are checked again at once (after the current round, if one runs).</summary>
    public void CheckNow()
    {
        try
        {
            Volatile.Read(ref _wake).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The round it would have shortened is over; the next one has its own source.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    /// <summary>
    /// How long one check may take: the group's <c>HealthCheckTimeoutSeconds</c>, else ELB's default — 5 s for an
    /// application load balancer's groups (HTTP, HTTPS); for a network load balancer's, 6 s for HTTP checks and 10 s
    /// for TCP and HTTPS checks — and never longer than the interval.
    /// </summary>
    internal static TimeSpan TimeoutFor(TargetGroupPlan plan)
    {
        var check = plan.Group.HealthCheck;
        var seconds = check.TimeoutSeconds ?? (plan.Group.Protocol is "HTTP" or "HTTPS" ? 5 : check.Protocol == "HTTP" ? 6 : 10);
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(1, check.IntervalSeconds)));
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var plan = _health.Plan;
        var interval = TimeSpan.FromSeconds(Math.Max(1, plan.Group.HealthCheck.IntervalSeconds));
        var timeout = TimeoutFor(plan);
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake);
            if (wake.IsCancellationRequested)
            {
                Volatile.Write(ref _wake, new CancellationTokenSource());
                wake.Dispose();
            }

            // A target the load balancer does not use (a zone not enabled for it) is not checked, as ELB leaves it unused.
            await Task.WhenAll(plan.Targets.Select((target, index) => (target, index)).Where(t => plan.InUse[t.index]).Select(async t =>
            {
                var (target, index) = t;
                var result = await HealthProbe.CheckAsync(_sockets, plan, target, timeout, cancellationToken).ConfigureAwait(false);
                if (_health.Record(index, result) is { } state)
                {
                    LoadBalancerLog.TargetHealthChanged(_logger, plan.Group.Name, target, state, plan.CheckSource);
                    _changed?.Invoke();
                }
            })).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Volatile.Read(ref _wake).Token);
            try
            {
                await Task.Delay(interval, _time, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Woken by CheckNow.
            }
        }
    }
}
