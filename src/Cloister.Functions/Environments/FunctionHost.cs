using System.Text;
using Cloister.Functions.Launching;
using Cloister.Functions.Logging;
using Cloister.Functions.Refusals;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Environments;

/// <summary>
/// A deployed function's execution environments: the most recently used idle one takes the next invocation (so
/// sequential invocations stay on one warm process); when none is idle a new one starts. Each invocation counts
/// against its <see cref="ConcurrencyPool"/> from its acceptance to its result (the function's reserved concurrency,
/// shared with its other versions, or the unreserved pool shared with every such function), else it is throttled;
/// environments idle for longer than the idle timeout are reaped. An environment whose invocation
/// timed out or whose runtime exited is reset, as Lambda does: its runtime is stopped at once and it goes back idle
/// (holding no concurrency, as any idle one), and the invocation that takes it next initializes the runtime again
/// (a suppressed init, holding an init slot). At most
/// <see cref="FunctionsOptions.ConcurrentInits"/> environments initialize at once: an invocation beyond that waits
/// for whichever comes first, an environment going idle or an init slot (Lambda starts them all in parallel on
/// hosts of their own; here they share the machine's cores, and 32 parallel cold starts of a .NET function on two
/// cores would all pass the 10 s init timeout and fail together). A version with provisioned concurrency keeps that
/// many environments of its own initialized from deploy on (<c>FunctionHost.Provisioned</c>), which take its
/// invocations first, outside the on-demand pool; the rest spill to on-demand environments.
/// </summary>
internal sealed partial class FunctionHost : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Stack<ExecutionEnvironment> _idle = new();
    private readonly Stack<ExecutionEnvironment> _provisionedIdle = new();
    private readonly HashSet<ExecutionEnvironment> _all = [];
    private readonly IProcessLauncher _launcher;
    private readonly FunctionsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrencyPool _concurrency;
    private int _running;
    private readonly int _initLimit;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<TaskCompletionSource> _waiters = [];
    private int _starting;
    private bool _disposed;
    private FunctionHost? _successor;

    public FunctionHost(
        FunctionDefinition function,
        FunctionLogWriter log,
        ConcurrencyPool concurrency,
        int provisioned,
        IProcessLauncher launcher,
        FunctionsOptions options,
        TimeProvider time,
        ILoggerFactory? loggerFactory,
        ILogger logger)
    {
        Function = function;
        Log = log;
        _launcher = launcher;
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = logger;
        _concurrency = concurrency;
        ProvisionedConcurrency = provisioned;
        _initLimit = Math.Max(1, options.ConcurrentInits);
    }

    public FunctionDefinition Function { get; }

    public FunctionLogWriter Log { get; }

    /// <summary>How many environments exist (idle, busy or starting).</summary>
    public int EnvironmentCount
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>
    /// The invocations of this version in flight, accepted and not yet answered (a cold start's included, provisioned
    /// environments' too): Lambda's <c>ConcurrentExecutions</c> metric for the version. A throttled one is not counted.
    /// </summary>
    public int ConcurrentExecutions => Volatile.Read(ref _running);

    /// <summary>Process ids of the live environments (a reset environment has none until its next invocation).</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _all.Select(e => e.ProcessId).Where(id => id != 0)];
            }
        }
    }

    public Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) =>
        InvokeAsync(Guid.NewGuid().ToString(), payload, context, cancellationToken);

    /// <summary>
    /// Runs an invocation under a request id given by the caller: an Event invocation's, answered with the 202 and
    /// kept across its retries, as the function's context request id is on Lambda.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string requestId, ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        // The token only stops an invocation that has not been accepted yet; see the init below.
        cancellationToken.ThrowIfCancellationRequested();
        if (TakeProvisioned(out var reinit) is { } provisioned)
        {
            Interlocked.Increment(ref _running);
            try
            {
                return reinit
                    ? await SuppressedInitAsync(provisioned, requestId, payload, context).ConfigureAwait(false)
                    : await RunAsync(provisioned, requestId, payload, context, _time.GetTimestamp(), null).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        if (!_concurrency.TryEnter())
        {
            return Refusal.Throttled(_concurrency.ThrottleReason, requestId);
        }

        InvocationResult? result;
        Interlocked.Increment(ref _running);
        try
        {
            result = await AcceptAsync(requestId, payload, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _concurrency.Exit();
        }

        return result ?? await HandOverAsync(requestId, payload, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a counted invocation in an idle environment, a reset one after its init, or a new one; null when the
    /// version stopped taking invocations (redeployed or removed) before this one was accepted.
    /// </summary>
    private async Task<InvocationResult?> AcceptAsync(string requestId, ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        ExecutionEnvironment? environment = null;
        var starting = false;
        var reinit = false;
        while (environment is null)
        {
            TaskCompletionSource? turn = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    return null;
                }

                var waitsForSlot = TakeIdle(out environment, out reinit);
                if (environment is null)
                {
                    // No idle environment: every one runs an invocation counted in the pool, so starting one more
                    // keeps this version's environments within the pool's limit.
                    if (!waitsForSlot && _starting < _initLimit)
                    {
                        environment = new ExecutionEnvironment(Function, Log, _time, _logger);
                        _all.Add(environment);
                        _starting++;
                        starting = true;
                    }
                    else
                    {
                        turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        _waiters.Add(turn);
                    }
                }
            }

            if (turn is not null)
            {
                // Not accepted yet: a caller that gives up while waiting simply leaves.
                await turn.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (reinit)
        {
            return await SuppressedInitAsync(environment, requestId, payload, context).ConfigureAwait(false);
        }

        return starting
            ? await ColdStartAsync(environment, requestId, payload, context).ConfigureAwait(false)
            : await RunAsync(environment, requestId, payload, context, _time.GetTimestamp(), null).ConfigureAwait(false);
    }

    /// <summary>
    /// Under the lock: takes the most recently used idle environment that can run the invocation. A warm one runs it
    /// at once; a reset one (its runtime stopped after a failed invocation) runs it after a suppressed init, for which
    /// it takes an init slot (<paramref name="reinit"/>); one whose process died while idle is dropped. Returns true
    /// when a reset environment is idle but no init slot is free: the invocation then waits for one, as it is not
    /// over the concurrency limit.
    /// </summary>
    private bool TakeIdle(out ExecutionEnvironment? environment, out bool reinit)
    {
        environment = null;
        reinit = false;
        List<ExecutionEnvironment>? waiting = null;
        while (_idle.TryPop(out var candidate))
        {
            if (candidate.AwaitsInit)
            {
                if (_starting < _initLimit)
                {
                    _starting++;
                    environment = candidate;
                    reinit = true;
                    break;
                }

                (waiting ??= []).Add(candidate);
            }
            else if (candidate.IsAlive)
            {
                environment = candidate;
                break;
            }
            else
            {
                Forget(candidate);
                _ = candidate.DisposeAsync().AsTask();
            }
        }

        if (waiting is null)
        {
            return false;
        }

        for (var i = waiting.Count - 1; i >= 0; i--)
        {
            _idle.Push(waiting[i]);
        }

        return environment is null;
    }

    /// <summary>
    /// Stops environments that have been idle longer than the idle timeout, and idle ones older than the maximum
    /// lifetime (Lambda "terminates execution environments every few hours … even for functions that are invoked
    /// continuously"), so no environment outlives its execution-role credentials. Provisioned ones past that age are
    /// replaced by new ones, as Lambda recycles them.
    /// </summary>
    public async Task ReapIdleAsync()
    {
        List<ExecutionEnvironment> reaped = [];
        List<ExecutionEnvironment> aged;
        lock (_gate)
        {
            var keep = _idle
                .Where(e => (e.IsAlive || e.AwaitsInit) && _time.GetElapsedTime(e.LastUsed) < _options.IdleTimeout && e.Age < _options.MaximumLifetime)
                .Reverse()
                .ToList();
            foreach (var environment in _idle)
            {
                if (!keep.Contains(environment))
                {
                    reaped.Add(environment);
                    Forget(environment);
                }
            }

            _idle.Clear();
            foreach (var environment in keep)
            {
                _idle.Push(environment);
            }

            aged = [.. _provisionedIdle.Where(e => e.Age >= _options.MaximumLifetime)];
        }

        foreach (var environment in aged)
        {
            DropIfIdle(environment);
        }

        // Each one is stopped whatever another's stop throws: they are forgotten already, so one skipped here would keep
        // its process with nobody left to stop it. The first failure is the reap's (the service logs it).
        List<Exception>? failures = null;
        foreach (var environment in reaped)
        {
            try
            {
                await environment.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Collected and rethrown below, once every environment has been stopped.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                (failures ??= []).Add(exception);
            }
        }

        if (reaped.Count > 0)
        {
            FunctionsLog.Reaped(_logger, Function.Name, reaped.Count);
        }

        if (failures is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ExecutionEnvironment> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _all];
            _all.Clear();
            _idle.Clear();
            _provisionedIdle.Clear();
            _drained.TrySetResult();
        }

        WakeWaiters();
        await Task.WhenAll(all.Select(e => e.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands the version over to <paramref name="successor"/> (its redeployed self; null when the redeployed function
    /// no longer has this version), as Lambda does after UpdateFunctionCode or UpdateFunctionConfiguration: from now on
    /// invocations go to the successor, including those still waiting here for an environment; idle environments
    /// (provisioned ones too, which the successor has initialized its own of) stop now; a busy one finishes its
    /// invocation, whose answer reaches its caller, and stops then. Completes when the last environment is gone.
    /// </summary>
    public async Task DrainAsync(FunctionHost? successor)
    {
        List<ExecutionEnvironment> idle;
        lock (_gate)
        {
            _successor = successor;
            _disposed = true;
            idle = [.. _idle, .. _provisionedIdle];
            _idle.Clear();
            _provisionedIdle.Clear();
            foreach (var environment in idle)
            {
                Forget(environment);
            }

            if (_all.Count == 0)
            {
                _drained.TrySetResult();
            }
        }

        WakeWaiters();
        await Task.WhenAll(idle.Select(e => e.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _drained.Task.ConfigureAwait(false);
    }

    /// <summary>Under the lock: an environment is no longer this version's; the last one of a draining version completes its drain.</summary>
    private void Forget(ExecutionEnvironment environment)
    {
        if (_all.Remove(environment) && _disposed && _all.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>An invocation this version did not accept, because it stopped taking them: its successor runs it, else the function is gone.</summary>
    private Task<InvocationResult> HandOverAsync(string requestId, ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        FunctionHost? successor;
        lock (_gate)
        {
            successor = _successor;
        }

        return successor is null
            ? Task.FromResult(Refusal.FunctionNotFound(Function.Arn, requestId))
            : successor.InvokeAsync(requestId, payload, context, cancellationToken);
    }

    /// <summary>
    /// Runs the invocation in a ready environment. The function's timeout runs from <paramref name="started"/> (earlier
    /// than now when an init re-run in this invocation used part of it), and so does the REPORT line's Duration. The
    /// environment then goes back idle, reset first when the invocation timed out or the runtime exited.
    /// </summary>
    private async Task<InvocationResult> RunAsync(
        ExecutionEnvironment environment, string requestId, ReadOnlyMemory<byte> payload, InvocationContext context, long started, TimeSpan? initDuration)
    {
        var budget = Function.Timeout - _time.GetElapsedTime(started);
        if (budget < TimeSpan.Zero)
        {
            budget = TimeSpan.Zero;
        }

        var now = _time.GetUtcNow();
        var deadline = now.Add(budget).ToUnixTimeMilliseconds();
        var traceId = TraceIds.For(context.TraceHeader, now);
        var invocation = new PendingInvocation(requestId, payload, deadline, context.InvokedFunctionArn ?? Function.Arn, traceId, context);
        environment.Tail = context.Tail;
        var outcome = await environment.InvokeAsync(invocation, budget).ConfigureAwait(false);
        if (outcome.Kind == OutcomeKind.NotTaken)
        {
            environment.Tail = null;
            // The runtime had exited while idle (after posting its last result): the environment is discarded, as one
            // found dead before it is given an invocation, and this invocation, which nothing ran, starts over.
            // A provisioned environment's invocation was not counted in the pool: it starts over as a new one would.
            await RetireAsync(environment).ConfigureAwait(false);
            return environment.Provisioned
                ? await InvokeAsync(requestId, payload, context, CancellationToken.None).ConfigureAwait(false)
                : await AcceptAsync(requestId, payload, context, CancellationToken.None).ConfigureAwait(false)
                    ?? await HandOverAsync(requestId, payload, context, CancellationToken.None).ConfigureAwait(false);
        }

        var duration = _time.GetElapsedTime(started);
        environment.DrainOutput();
        if (outcome.Kind is OutcomeKind.ExitError or OutcomeKind.OutOfMemory)
        {
            environment.WriteLog(ExitErrorLog(requestId, ExitReasonOf(outcome), outcome.ErrorType!));
        }

        environment.WriteLog(LambdaLogLines.End(requestId));
        var (status, errorType) = outcome.Kind switch
        {
            OutcomeKind.Timeout => ("timeout", (string?)null),
            OutcomeKind.ExitError => ("error", InvocationOutcome.ExitErrorType),
            OutcomeKind.OutOfMemory => ("error", InvocationOutcome.OutOfMemoryType),
            OutcomeKind.ResponseTooLarge => ("error", "Function.ResponseSizeTooLarge"),
            OutcomeKind.Undelivered => ("error", null),
            _ => ((string?)null, (string?)null),
        };
        environment.WriteLog(LambdaLogLines.Report(
            requestId, duration, Function.Function.MemorySize, MaxMemoryUsedMb(environment, errorType), initDuration, status, errorType));
        environment.Tail = null;

        if (outcome.ResetsEnvironment || !environment.IsAlive)
        {
            // Lambda's reset: the runtime is stopped now (a handler past its timeout does not go on running), and
            // the environment's next invocation initializes it again, in the same log stream and TMPDIR.
            if (await ResetAsync(environment).ConfigureAwait(false) is not { } successor)
            {
                return Result(outcome, requestId);
            }

            environment = successor;
        }

        ReturnToIdle(environment);

        WakeWaiters();
        return Result(outcome, requestId);
    }

    private InvocationResult Result(InvocationOutcome outcome, string requestId) => outcome.Kind switch
    {
        OutcomeKind.Response => new InvocationResult(200, outcome.Payload, null, null, requestId) { ExecutedVersion = Function.Version },
        OutcomeKind.Undelivered => Refusal.Undelivered(requestId),
        _ => new InvocationResult(200, outcome.Payload, "Unhandled", null, requestId) { ExecutedVersion = Function.Version },
    };

    /// <summary>Lets every waiting invocation look again: an environment went idle, or an init slot or a place under the limit came free.</summary>
    private void WakeWaiters()
    {
        List<TaskCompletionSource> waiters;
        lock (_gate)
        {
            if (_waiters.Count == 0)
            {
                return;
            }

            waiters = _waiters;
            _waiters = [];
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    private async Task RetireAsync(ExecutionEnvironment environment)
    {
        lock (_gate)
        {
            Forget(environment);
        }

        WakeWaiters();

        await environment.DisposeAsync().ConfigureAwait(false);
        ReplaceIfProvisioned(environment);
    }

    /// <summary>
    /// The log lines of a runtime that exited during an invocation (or its init re-run), as Lambda writes them: the
    /// message, then <c>Runtime.ExitError</c> or <c>Runtime.OutOfMemory</c>.
    /// </summary>
    private static string ExitErrorLog(string requestId, string reason, string errorType) =>
        $"{InvocationOutcome.ExitErrorMessage(requestId, reason)}\n{errorType}";

    /// <summary>REPORT's Max Memory Used: all of the Memory Size when the environment ran out of it, as Lambda reports it.</summary>
    private int MaxMemoryUsedMb(ExecutionEnvironment environment, string? errorType) =>
        errorType == InvocationOutcome.OutOfMemoryType ? Function.Function.MemorySize : environment.MaxMemoryUsedMb();

    private static string ExitReasonOf(InvocationOutcome outcome)
    {
        const string marker = "Runtime exited with error: ";
        var message = Encoding.UTF8.GetString(outcome.Payload.Span);
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? "exit status 0" : message[(at + marker.Length)..message.IndexOf('"', at)];
    }

    /// <summary>An environment done with its work waits on its idle stack (provisioned ones on their own), or ends with the host.</summary>
    private void ReturnToIdle(ExecutionEnvironment environment)
    {
        environment.LastUsed = _time.GetTimestamp();
        lock (_gate)
        {
            if (_disposed)
            {
                Forget(environment);
                _ = environment.DisposeAsync().AsTask();
            }
            else
            {
                (environment.Provisioned ? _provisionedIdle : _idle).Push(environment);
            }
        }
    }
}
