using Cloister.Functions.Logging;
using Cloister.Functions.Refusals;

namespace Cloister.Functions.Environments;

/// <summary>
/// A new environment's init, as Lambda runs it for on-demand functions: the init phase has 10 seconds
/// (<see cref="FunctionsOptions.InitTimeout"/>); when it times out or fails, Lambda writes an <c>INIT_REPORT</c>
/// (<c>Phase: init</c>), resets the environment (the runtime process is stopped) and runs the init again as part of
/// the invocation (a suppressed init), this time within the function's timeout, which the re-run init and the
/// handler then share. A re-run that fails too writes a second <c>INIT_REPORT</c> (<c>Phase: invoke</c>) and fails
/// the invocation; one that succeeds is not reported on its own: the REPORT line's Duration includes it. The same
/// suppressed init runs in the next invocation of an environment reset after an invocation timed out or its runtime
/// exited (see <see cref="RunAsync"/>).
/// </summary>
internal sealed partial class FunctionHost
{
    private const string InitPhase = "init";
    private const string InvokePhase = "invoke";

    /// <summary>Initializes a new environment (holding an init slot, taken by the caller, until its init is over) and runs the invocation in it.</summary>
    private async Task<InvocationResult> ColdStartAsync(ExecutionEnvironment environment, string requestId, ReadOnlyMemory<byte> payload, InvocationContext context)
    {
        var holdsSlot = true;
        try
        {
            environment.WriteLog(LambdaLogLines.InitStart(Function.Function.Runtime));
            var (init, refusal) = await StartAsync(environment, requestId, _options.InitTimeout).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            if (init.IsReady)
            {
                // What the init wrote comes before the invocation's START.
                environment.DrainOutput();
                ReleaseInitSlot(ref holdsSlot);
                return await RunAsync(environment, requestId, payload, context, _time.GetTimestamp(), init.Duration).ConfigureAwait(false);
            }

            environment.DrainOutput();
            environment.WriteLog(LambdaLogLines.InitReport(init.Duration, InitPhase, init.Status!, ErrorTypeOf(init)));
            if (await ResetAsync(environment).ConfigureAwait(false) is not { } successor)
            {
                return Refusal.FunctionNotFound(Function.Arn, requestId);
            }

            // The init slot goes with the init run again.
            holdsSlot = false;
            return await SuppressedInitAsync(successor, requestId, payload, context).ConfigureAwait(false);
        }
        finally
        {
            ReleaseInitSlot(ref holdsSlot);
        }
    }

    /// <summary>
    /// Initializes a reset environment's runtime again as part of the invocation (a suppressed init: no INIT_START, no
    /// Init Duration), within the function's timeout, which the handler then shares; then runs the invocation. The
    /// caller took an init slot; it is held until this init is over.
    /// </summary>
    private async Task<InvocationResult> SuppressedInitAsync(ExecutionEnvironment environment, string requestId, ReadOnlyMemory<byte> payload, InvocationContext context)
    {
        var holdsSlot = true;
        try
        {
            var started = _time.GetTimestamp();
            var (init, refusal) = await StartAsync(environment, requestId, Function.Timeout).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            if (!init.IsReady)
            {
                return await InitFailedAsync(environment, requestId, init, started).ConfigureAwait(false);
            }

            environment.DrainOutput();
            ReleaseInitSlot(ref holdsSlot);
            return await RunAsync(environment, requestId, payload, context, started, null).ConfigureAwait(false);
        }
        finally
        {
            ReleaseInitSlot(ref holdsSlot);
        }
    }

    /// <summary>Starts the environment's runtime; when Cloister itself cannot (no socket, no Runtime API), the invocation is refused.</summary>
    private async Task<(InitResult Init, InvocationResult? Refusal)> StartAsync(ExecutionEnvironment environment, string requestId, TimeSpan limit)
    {
        try
        {
            // As on Lambda, an accepted invocation runs even if its caller goes away: the init is not bound to the
            // caller's token. (It was, and a client that gave up during a cold start left the environment counted
            // against the concurrency limit forever, neither idle nor retired.)
            return (await environment.StartAsync(_launcher, _loggerFactory, limit, CancellationToken.None).ConfigureAwait(false), null);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            FunctionsLog.EnvironmentFailed(_logger, Function.Name, exception);
            await RetireAsync(environment).ConfigureAwait(false);
            return (default, Refusal.ServiceException("Lambda could not start an execution environment.", requestId));
        }
        catch
        {
            await RetireAsync(environment).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Lambda's reset: the environment's successor (same log stream and TMPDIR, its runtime not started) takes its
    /// place and the old runtime is stopped; null when the function is gone.
    /// </summary>
    private async Task<ExecutionEnvironment?> ResetAsync(ExecutionEnvironment old)
    {
        var successor = old.Reset();
        bool disposed;
        lock (_gate)
        {
            Forget(old);
            disposed = _disposed;
            if (!disposed)
            {
                _all.Add(successor);
            }
        }

        await old.DisposeAsync().ConfigureAwait(false);
        if (disposed)
        {
            await successor.DisposeAsync().ConfigureAwait(false);
            WakeWaiters();
        }

        return disposed ? null : successor;
    }

    /// <summary>The init run again in the invoke phase failed as well: its INIT_REPORT, the invocation's lines, and the error to the caller.</summary>
    private async Task<InvocationResult> InitFailedAsync(ExecutionEnvironment environment, string requestId, InitResult init, long started)
    {
        environment.DrainOutput();
        var timedOut = init.Status == "timeout";
        var errorType = ErrorTypeOf(init);
        environment.WriteLog(LambdaLogLines.InitReport(init.Duration, InvokePhase, init.Status!, errorType));
        environment.WriteLog(LambdaLogLines.Start(requestId, Function.Version));
        ReadOnlyMemory<byte> payload;
        if (timedOut)
        {
            payload = InvocationOutcome.Timeout(requestId, Function.Function.TimeoutSeconds).Payload;
            environment.WriteLog(LambdaLogLines.TimedOut(_time.GetUtcNow(), requestId, Function.Function.TimeoutSeconds));
        }
        else if (init.Reason is { } why)
        {
            // As Lambda words a runtime it could not start: the invocation's id, the reason, then the type on a line of its own.
            var message = $"RequestId: {requestId} Error: {why}";
            payload = InvocationOutcome.ErrorBody(errorType!, message);
            environment.WriteLog($"{message}\n{errorType}");
        }
        else if (init.ExitStatus is { } exit)
        {
            var reason = LambdaLogLines.ExitReason(exit);
            var outcome = InvocationOutcome.ExitError(requestId, reason, errorType == InvocationOutcome.OutOfMemoryType);
            payload = outcome.Payload;
            environment.WriteLog(ExitErrorLog(requestId, reason, outcome.ErrorType!));
        }
        else
        {
            payload = init.ErrorPayload;
        }

        environment.WriteLog(LambdaLogLines.End(requestId));
        environment.WriteLog(LambdaLogLines.Report(
            requestId, _time.GetElapsedTime(started), Function.Function.MemorySize, MaxMemoryUsedMb(environment, errorType), null, init.Status, errorType));
        await RetireAsync(environment).ConfigureAwait(false);
        return new InvocationResult(200, payload, "Unhandled", null, requestId) { ExecutedVersion = Function.Version };
    }

    /// <summary>Gives the init slot back once; waiting invocations look again.</summary>
    private void ReleaseInitSlot(ref bool holdsSlot)
    {
        if (!holdsSlot)
        {
            return;
        }

        holdsSlot = false;
        lock (_gate)
        {
            _starting--;
        }

        WakeWaiters();
    }

    /// <summary>INIT_REPORT's Error Type: none for a timeout.</summary>
    private static string? ErrorTypeOf(InitResult init) => init.Status == "error" ? init.ErrorType ?? "Runtime.Unknown" : null;
}
