using Cloister.Functions.Logging;

namespace Cloister.Functions.Environments;

/// <summary>
/// Provisioned concurrency, as Lambda runs it: the version's <see cref="ProvisionedConcurrency"/> environments are
/// initialized when the function is deployed, before any invocation (<c>AWS_LAMBDA_INITIALIZATION_TYPE</c>
/// <c>provisioned-concurrency</c>; their init may take <see cref="FunctionsOptions.ProvisionedInitTimeout"/> or the
/// function's timeout, whichever is longer), and kept: the idle reaper leaves them, and one that is lost (its runtime
/// gone, an init run again after a reset that failed) is replaced. An invocation takes an idle provisioned environment
/// first and is not counted in the on-demand pool, whose limit the provisioned concurrency was carved out of; when
/// every one is busy it spills to an on-demand environment, counted as any.
/// </summary>
internal sealed partial class FunctionHost
{
    /// <summary>How many provisioned environments this version keeps.</summary>
    public int ProvisionedConcurrency { get; }

    /// <summary>
    /// Initializes the version's provisioned environments, at most <see cref="FunctionsOptions.ConcurrentInits"/> at a
    /// time; returns the reason the allocation failed (an environment's init failed or timed out), else null.
    /// </summary>
    public async Task<string?> ProvisionAsync()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, ProvisionedConcurrency).Select(_ => ProvisionOneAsync())).ConfigureAwait(false);
        return outcomes.FirstOrDefault(o => o is not null);
    }

    /// <summary>Takes the most recently used idle provisioned environment, or null when none can run the invocation now.</summary>
    private ExecutionEnvironment? TakeProvisioned(out bool reinit)
    {
        reinit = false;
        List<ExecutionEnvironment> lost = [];
        ExecutionEnvironment? taken = null;
        lock (_gate)
        {
            while (taken is null && _provisionedIdle.TryPeek(out var candidate))
            {
                if (candidate.AwaitsInit)
                {
                    // Reset after a failed invocation: its suppressed init needs a slot; without one the invocation spills.
                    if (_starting >= _initLimit)
                    {
                        break;
                    }

                    _starting++;
                    reinit = true;
                    taken = _provisionedIdle.Pop();
                }
                else if (candidate.IsAlive)
                {
                    taken = _provisionedIdle.Pop();
                }
                else
                {
                    _provisionedIdle.Pop();
                    Forget(candidate);
                    lost.Add(candidate);
                }
            }
        }

        foreach (var environment in lost)
        {
            DisposeAndReplace(environment);
        }

        return taken;
    }

    /// <summary>
    /// A provisioned environment whose runtime ended while it was idle (killed, crashed on its own) is lost: it is
    /// dropped and replaced now, as Lambda keeps the provisioned count, rather than when an invocation comes upon it
    /// (which may be never while a live one stands above it in the idle stack). One that is busy is left to its
    /// invocation, which resets it.
    /// </summary>
    private void DropIfIdle(ExecutionEnvironment environment)
    {
        lock (_gate)
        {
            if (_disposed || !_provisionedIdle.Contains(environment))
            {
                return;
            }

            var rest = _provisionedIdle.Where(e => e != environment).Reverse().ToList();
            _provisionedIdle.Clear();
            foreach (var kept in rest)
            {
                _provisionedIdle.Push(kept);
            }

            Forget(environment);
        }

        DisposeAndReplace(environment);
    }

    private void DisposeAndReplace(ExecutionEnvironment lost) =>
        _ = lost.DisposeAsync().AsTask().ContinueWith(_ => ReplaceIfProvisioned(lost), TaskScheduler.Default);

    /// <summary>Starts a provisioned environment in the place of <paramref name="lost"/>, if it was one and the version is still deployed.</summary>
    private void ReplaceIfProvisioned(ExecutionEnvironment lost)
    {
        if (!lost.Provisioned)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            if (await ProvisionOneAsync().ConfigureAwait(false) is { } failure)
            {
                FunctionsLog.ProvisionedReplacementFailed(_logger, Function.Name, Function.Version, failure);
            }
        });
    }

    /// <summary>
    /// One provisioned environment: waits for an init slot, writes <c>INIT_START</c>, runs the init and puts the
    /// environment idle; an init that fails or times out is reported (<c>INIT_REPORT … Phase: init</c>), the
    /// environment discarded, and the failure returned.
    /// </summary>
    private async Task<string?> ProvisionOneAsync()
    {
        ExecutionEnvironment? environment = null;
        while (environment is null)
        {
            TaskCompletionSource? turn = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    return null;
                }

                if (_starting < _initLimit)
                {
                    _starting++;
                    environment = new ExecutionEnvironment(Function, Log, _time, _logger, provisioned: true, exited: DropIfIdle);
                    _all.Add(environment);
                }
                else
                {
                    turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiters.Add(turn);
                }
            }

            if (turn is not null)
            {
                await turn.Task.ConfigureAwait(false);
            }
        }

        var holdsSlot = true;
        try
        {
            environment.WriteLog(LambdaLogLines.InitStart(Function.Function.Runtime));
            var limit = _options.ProvisionedInitTimeout > Function.Timeout ? _options.ProvisionedInitTimeout : Function.Timeout;
            InitResult init;
            try
            {
                init = await environment.StartAsync(_launcher, _loggerFactory, limit, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                FunctionsLog.EnvironmentFailed(_logger, Function.Name, exception);
                await DiscardAsync(environment).ConfigureAwait(false);
                return "Lambda could not start an execution environment.";
            }

            environment.DrainOutput();
            if (!init.IsReady)
            {
                environment.WriteLog(LambdaLogLines.InitReport(init.Duration, InitPhase, init.Status!, ErrorTypeOf(init)));
                await DiscardAsync(environment).ConfigureAwait(false);
                return $"FUNCTION_ERROR_INIT_FAILURE (Status: {init.Status}{(ErrorTypeOf(init) is { } type ? ", Error Type: " + type : string.Empty)})";
            }

            ReturnToIdle(environment);

            return null;
        }
        finally
        {
            ReleaseInitSlot(ref holdsSlot);
        }
    }

    /// <summary>Drops a provisioned environment whose allocation failed, without replacing it.</summary>
    private async Task DiscardAsync(ExecutionEnvironment environment)
    {
        lock (_gate)
        {
            Forget(environment);
        }

        await environment.DisposeAsync().ConfigureAwait(false);
    }
}
