using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Cloister.Functions.Code;
using Cloister.Functions.Environments;
using Cloister.Functions.Events;
using Cloister.Functions.Launching;
using Cloister.Functions.Logging;
using Cloister.Functions.Refusals;
using Cloister.Functions.Runtimes;
using Cloister.Model.Compute;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Functions;

/// <summary>
/// Lambda for one sandbox: deploy functions, invoke them (RequestResponse, Event, DryRun), and stop everything on
/// dispose. This is the surface the host, the gateway's AWS_PROXY integration and <c>cloister invoke</c> use.
/// Thread-safe.
/// </summary>
public sealed partial class LambdaService : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous (RequestResponse, DryRun) invocation's payload: 6 MB.</summary>
    internal const int MaxSynchronousPayloadBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's limit on an asynchronous (Event) invocation's payload: 1 MB.</summary>
    internal const int MaxEventPayloadBytes = 1024 * 1024;

    /// <summary>The event a function gets when the caller sent no payload.</summary>
    private static readonly ReadOnlyMemory<byte> EmptyEvent = "{}"u8.ToArray();

    /// <summary>The delay before a throttled Event invocation is tried again the first time; it doubles each time after.</summary>
    private static readonly TimeSpan FirstThrottleDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two tries of a throttled Event invocation.</summary>
    private static readonly TimeSpan MaxThrottleDelay = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DeployedFunction> _functions = new(StringComparer.Ordinal);
    private readonly FunctionsOptions _options;
    private readonly IProcessLauncher _launcher;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RuntimeCatalog _runtimes;
    private readonly ConcurrencyPool _unreserved;
    private readonly Channel<QueuedEvent> _events = Channel.CreateUnbounded<QueuedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly EventStore? _eventStore;
    private readonly Lock _parkedGate = new();
    private readonly Dictionary<string, List<QueuedEvent>> _parked = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _eventLoop;
    private readonly ITimer _reaper;
    private readonly Lock _reapGate = new();
    private Task _reaping = Task.CompletedTask;
    private readonly ConcurrentDictionary<Task, byte> _eventTasks = new();
    private readonly ConcurrentDictionary<DeployedFunction, byte> _draining = new();
    private int _disposed;

    /// <summary>Creates the service. Nothing starts until a function is invoked.</summary>
    /// <param name="options">Where state goes, the account, limits.</param>
    /// <param name="launcher">Starts processes; <see cref="HostProcessLauncher"/> (host network) when null.</param>
    /// <param name="loggerFactory">Cloister's own diagnostics.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    public LambdaService(FunctionsOptions options, IProcessLauncher? launcher = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _launcher = launcher ?? HostProcessLauncher.Instance;
        _loggerFactory = loggerFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Cloister.Functions");
        _time = timeProvider ?? TimeProvider.System;
        // Makes Cloister's environment cgroup now, so what a killed Cloister left running goes at the start.
        if (EnvironmentCgroup.TakeStale() is { } stale)
        {
            FunctionsLog.StaleCgroupsRemoved(_logger, stale.Removed, stale.Processes, stale.Left);
        }

        if (EnvironmentMemory.TakeUnavailable() is { } reason)
        {
            FunctionsLog.MemoryNotLimited(_logger, reason);
        }

        if (EnvironmentCgroup.IsSupported && ProcessSpawn.ReleaseStaleGates(Path.GetTempPath()) is > 0 and var released)
        {
            FunctionsLog.StaleGatesReleased(_logger, released);
        }

        _runtimes = new RuntimeCatalog(options);
        _unreserved = ConcurrencyPool.Unreserved(options.UnreservedConcurrencyLimit);
        _eventStore = EventStore.TryOpen(EventStore.PathIn(options.State.Functions), _logger, out var pending);
        Park(pending);
        _eventLoop = Task.Run(EventLoopAsync);
        var period = TimeSpan.FromTicks(Math.Clamp(Math.Min(options.IdleTimeout.Ticks, options.MaximumLifetime.Ticks) / 2, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _reaper = _time.CreateTimer(_ => Reap(), null, period, period);
    }

    /// <summary>The deployed functions' names.</summary>
    public IReadOnlyCollection<string> FunctionNames => [.. _functions.Keys];

    /// <summary>
    /// Deploys (or redeploys) a function with its published versions and aliases. A redeployed function drains, as
    /// Lambda's does after UpdateFunctionCode or UpdateFunctionConfiguration: new invocations (and queued Event ones)
    /// run in environments of the new deployment, idle old environments stop now, and busy ones finish their
    /// invocation, whose answer reaches the caller, before they stop.
    /// </summary>
    public async Task<DeployResult> DeployAsync(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var problems = new List<string>();
        var log = _functions.TryGetValue(function.FunctionName, out var existing)
            ? existing.Log
            : new FunctionLogWriter(Path.Combine(_options.State.FunctionLogs, function.FunctionName + ".log"), _logger);
        var provisioned = ProvisionedByVersion(function, problems);
        var totalProvisioned = provisioned.Values.Sum();
        // Reserved concurrency is the function's, counted across $LATEST and its versions together, as Lambda counts it;
        // provisioned concurrency is carved out of it, or out of the unreserved pool.
        var unreservedProvisioned = function.ReservedConcurrency is null ? totalProvisioned : 0;
        var returned = existing?.UnreservedProvisioned ?? 0;
        var resized = problems.Count == 0 && _unreserved.TryResize(returned - unreservedProvisioned, MinimumUnreserved);
        if (problems.Count == 0 && !resized)
        {
            problems.Add($"Function {function.FunctionName}: Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{MinimumUnreserved}].");
        }

        var concurrency = function.ReservedConcurrency is { } reserved ? ConcurrencyPool.Reserved(Math.Max(0, reserved - totalProvisioned)) : _unreserved;
        var latest = problems.Count == 0 ? Host(function, FunctionDefinition.Latest, log, concurrency, 0, problems) : null;
        var versions = new Dictionary<string, FunctionHost>(StringComparer.Ordinal);
        // A version whose configuration is $LATEST's would only repeat $LATEST's problems.
        foreach (var version in problems.Count == 0 ? function.Versions : [])
        {
            if (Host(version.Configuration, version.Version, log, concurrency, provisioned.GetValueOrDefault(version.Version), problems) is { } host)
            {
                versions[version.Version] = host;
            }
        }

        foreach (var alias in function.Aliases.Where(a => a.FunctionVersion != FunctionDefinition.Latest && !function.Versions.Any(v => v.Version == a.FunctionVersion)))
        {
            problems.Add($"Function {function.FunctionName}: alias {alias.Name} names version {alias.FunctionVersion}, which the function does not have.");
        }

        if (problems.Count == 0)
        {
            // Lambda allocates provisioned concurrency before CloudFormation goes on; a failed allocation fails the deploy.
            foreach (var (version, failure) in await Task.WhenAll(versions.Values.Select(async h => (h.Function.Version, await h.ProvisionAsync().ConfigureAwait(false)))).ConfigureAwait(false))
            {
                if (failure is not null)
                {
                    problems.Add($"Function {function.FunctionName}: the provisioned concurrency of version {version} could not be allocated: {failure}.");
                }
            }
        }

        if (problems.Count > 0 || latest is null)
        {
            if (resized)
            {
                _unreserved.TryResize(unreservedProvisioned - returned, int.MinValue);
            }

            await Task.WhenAll(versions.Values.Select(h => h.DisposeAsync().AsTask()).Append(latest?.DisposeAsync().AsTask() ?? Task.CompletedTask)).ConfigureAwait(false);
            if (existing is null)
            {
                await log.DisposeAsync().ConfigureAwait(false);
            }

            return new DeployResult(function.FunctionName, problems);
        }

        var aliases = function.Aliases.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        var deployed = new DeployedFunction(latest, versions.ToFrozenDictionary(StringComparer.Ordinal), aliases, _options.AliasRoutingSample, unreservedProvisioned, function, _time.GetUtcNow());
        _functions[function.FunctionName] = deployed;
        if (existing is not null)
        {
            Drain(existing, deployed);
        }

        Unpark(function.FunctionName);

        FunctionsLog.Deployed(_logger, function.FunctionName, function.Runtime, latest.Function.TaskRoot);
        return new DeployResult(function.FunctionName, []);
    }

    /// <summary>
    /// Lets a redeployed function's old deployment finish its invocations in the background (up to the function's
    /// timeout); the service's dispose stops whatever is still running.
    /// </summary>
    private void Drain(DeployedFunction old, DeployedFunction successor)
    {
        _draining[old] = 0;
        _ = old.DrainAsync(successor).ContinueWith(t => _draining.TryRemove(old, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The environments of one version of a function (<paramref name="version"/> <c>$LATEST</c> or a number), or null with its problems.</summary>
    private FunctionHost? Host(LambdaFunction function, string version, FunctionLogWriter log, ConcurrencyPool concurrency, int provisioned, List<string> problems)
    {
        var before = problems.Count;
        var kind = RuntimeCatalog.KindOf(function.Runtime);
        if (kind is null)
        {
            problems.Add($"Function {function.FunctionName}: Runtime {function.Runtime} is not supported (provided.al2023, provided.al2, dotnet8, nodejs20.x, nodejs22.x, python3.x).");
        }

        if (kind is not null and not RuntimeKind.Provided && string.IsNullOrWhiteSpace(function.Handler))
        {
            problems.Add($"Function {function.FunctionName}: Handler is required for runtime {function.Runtime}.");
        }

        if (function.TimeoutSeconds is < 1 or > 900)
        {
            problems.Add($"Function {function.FunctionName}: Timeout must be between 1 and 900 seconds.");
        }

        if (function.MemorySize is < 128 or > 10240)
        {
            problems.Add($"Function {function.FunctionName}: MemorySize must be between 128 and 10240 MB.");
        }

        string? taskRoot = null;
        if (kind is { } k)
        {
            taskRoot = FunctionCode.Resolve(function, _options.State.Functions, k, out var problem);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        string? layerRoot = null;
        if (taskRoot is not null && problems.Count == before)
        {
            layerRoot = LayerContent.Prepare(function, _options.State.Functions, taskRoot, out var problem);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > before || taskRoot is null)
        {
            return null;
        }

        var command = _runtimes.CommandFor(function.Runtime, taskRoot);
        var arn = LambdaFunction.ArnOf(_options.Account, function.FunctionName);
        var environment = LambdaEnvironment.Build(function, _options, _runtimes, taskRoot, command, version);
        var definition = new FunctionDefinition(function, arn, taskRoot, command, environment, _options.State.FunctionTemporaryFolders, version) { LayerRoot = layerRoot, Credentials = () => _options.Credentials(function) };
        return new FunctionHost(definition, log, concurrency, provisioned, _launcher, _options, _time, _loggerFactory, _logger);
    }

    /// <summary>
    /// Invokes a function. RequestResponse waits for the function; Event queues the payload and answers 202 (a
    /// function error is retried twice, a throttle until the event is 6 hours old); DryRun only checks the function
    /// exists (204). Lambda's own refusals (payload over
    /// its quota 413, unknown function 404, concurrency exhausted 429) come back as results, not exceptions.
    /// </summary>
    /// <param name="functionName">The function as Invoke's <c>FunctionName</c> takes it: a name, a name with an alias or
    /// version (<c>my-function:live</c>, <c>my-function:3</c>, <c>my-function:$LATEST</c>), a full or partial ARN with or
    /// without one.</param>
    /// <param name="payload">The event.</param>
    /// <param name="invocationType">RequestResponse, Event or DryRun.</param>
    /// <param name="cancellationToken">Stops an invocation that has not been accepted yet.</param>
    public ValueTask<InvocationResult> InvokeAsync(
        string functionName,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(functionName, null, payload, invocationType, InvocationContext.None, cancellationToken);

    /// <summary>Invokes a function with a client context or Cognito identity, passed to the runtime in
    /// <c>Lambda-Runtime-Client-Context</c> (a synchronous invocation only, as on Lambda) and
    /// <c>Lambda-Runtime-Cognito-Identity</c>.</summary>
    public ValueTask<InvocationResult> InvokeAsync(
        string functionName,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType,
        InvocationContext context,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(functionName, null, payload, invocationType, context, cancellationToken);

    /// <summary>
    /// Invokes a function's alias or version, named in <paramref name="functionName"/> (<c>my-function:live</c>, a
    /// qualified ARN) or given apart in <paramref name="qualifier"/> (Invoke's <c>Qualifier</c>), as Lambda takes
    /// either; the two must agree. An alias runs its version's environments; the runtime is told the ARN as invoked.
    /// An unknown alias or version is Lambda's 404 <c>Function not found: {qualified ARN}</c>.
    /// </summary>
    public async ValueTask<InvocationResult> InvokeAsync(
        string functionName,
        string? qualifier,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType,
        InvocationContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(functionName);
        if (PayloadTooLarge(payload.Length, invocationType) is { } tooLarge)
        {
            return tooLarge;
        }

        var name = LambdaFunction.NameOf(functionName, out var derived);
        if (derived is not null && qualifier is not null && derived != qualifier)
        {
            return Refusal.InvalidParameterValue("The derived qualifier from the function name does not match the specified qualifier.", Guid.NewGuid().ToString());
        }

        qualifier ??= derived;
        if (invocationType == InvocationType.Event && Volatile.Read(ref _disposed) != 0)
        {
            // A stopping service has let its functions go; what it refuses is the event, not the name.
            return Refusal.EventNotQueued(Guid.NewGuid().ToString());
        }

        if (!_functions.TryGetValue(name, out var function) || function.Resolve(qualifier) is not { } host)
        {
            return Refusal.FunctionNotFound(LambdaFunction.ArnOf(_options.Account, name, qualifier), Guid.NewGuid().ToString());
        }

        if (qualifier is not null)
        {
            context = context with { InvokedFunctionArn = LambdaFunction.ArnOf(_options.Account, name, qualifier) };
        }

        switch (invocationType)
        {
            case InvocationType.DryRun:
                return new InvocationResult(204, ReadOnlyMemory<byte>.Empty, null, null, Guid.NewGuid().ToString()) { ExecutedVersion = host.Function.Version };
            case InvocationType.Event:
                // Lambda passes the client context to synchronous invocations only (the Invoke API reference); the
                // request id answered here is the one the function sees, on every attempt.
                var queued = new QueuedEvent(name, qualifier, payload.ToArray(), Guid.NewGuid().ToString(), context with { ClientContext = null }, _time.GetUtcNow());
                // Nothing acknowledged is lost: the 202 waits until the event is on disk, and a service stopping or an
                // event that could not be written is Lambda's 500 ServiceException instead, which the SDKs retry.
                if (_eventStore is null || Volatile.Read(ref _disposed) != 0 || !await _eventStore.AddAsync(queued).ConfigureAwait(false))
                {
                    return Refusal.EventNotQueued(queued.RequestId);
                }

                // A service disposed meanwhile refuses the write: the event is on disk and runs after the next start.
                _events.Writer.TryWrite(queued);
                return new InvocationResult(202, ReadOnlyMemory<byte>.Empty, null, null, queued.RequestId) { ExecutedVersion = host.Function.Version };
            default:
                if (!context.TailLog)
                {
                    return await host.InvokeAsync(payload, context, cancellationToken).ConfigureAwait(false);
                }

                var tail = new InvocationLogTail();
                var result = await host.InvokeAsync(payload, context with { Tail = tail }, cancellationToken).ConfigureAwait(false);
                return result with { LogTail = tail.LastBytes() };
        }
    }

    /// <summary>
    /// Invokes as Lambda's Invoke API takes a request from a client (<c>cloister invoke</c>): the function's name and
    /// <paramref name="qualifier"/> (Invoke's <c>Qualifier</c>, null when not given) checked against the API reference's
    /// constraints first (400 <c>ValidationException</c>; an ARN of another Region or account 404), then the invocation
    /// type as sent (<c>X-Amz-Invocation-Type</c>; null is RequestResponse, anything but Lambda's three values is its 400
    /// <c>ValidationException</c>) and the payload checked to be JSON (400 <c>InvalidRequestContentException</c>), all
    /// before the function is looked for; no payload is <c>{}</c> to the function; then as <see cref="InvokeAsync(string, string?, ReadOnlyMemory{byte}, InvocationType, InvocationContext, CancellationToken)"/>.
    /// </summary>
    public ValueTask<InvocationResult> InvokeRequestAsync(
        string functionName,
        string? qualifier,
        ReadOnlyMemory<byte> payload,
        string? invocationType,
        InvocationContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        return FunctionNameCheck.Refuse(functionName, qualifier, _options.Account, new InvokeMembers(invocationType, null)) is { } misnamed
            ? ValueTask.FromResult(misnamed)
            : InvokeNamedRequestAsync(functionName, qualifier, payload, invocationType, context, cancellationToken);
    }

    /// <summary>
    /// <see cref="InvokeRequestAsync"/> for a caller that has checked the name already with
    /// <see cref="FunctionNameCheck"/>, as the Invoke API does before it authorizes the caller: the check is not made twice.
    /// </summary>
    internal ValueTask<InvocationResult> InvokeNamedRequestAsync(string functionName, string? qualifier, ReadOnlyMemory<byte> payload, string? invocationType, InvocationContext context, CancellationToken cancellationToken)
    {
        if (!InvokeRequestCheck.TryParseType(invocationType, out var type, out var refusal))
        {
            return ValueTask.FromResult(refusal!);
        }

        if (InvokeRequestCheck.CheckPayload(payload.Span) is { } notJson)
        {
            return ValueTask.FromResult(notJson);
        }

        // A call without a payload is an empty JSON object to the function, as Lambda hands it on.
        return InvokeAsync(functionName, qualifier, payload.IsEmpty ? EmptyEvent : payload, type, context, cancellationToken);
    }

    /// <summary>
    /// Lambda's Invoke payload quotas, 6 MB for a synchronous invocation and 1 MB for an Event one (Invoke API
    /// reference), refused with 413 and the words Lambda answers them with (observed).
    /// </summary>
    private static InvocationResult? PayloadTooLarge(int length, InvocationType invocationType)
    {
        var asynchronous = invocationType == InvocationType.Event;
        var limit = asynchronous ? MaxEventPayloadBytes : MaxSynchronousPayloadBytes;
        return length <= limit ? null : Refusal.PayloadTooLarge(length, limit, asynchronous, Guid.NewGuid().ToString());
    }

    /// <summary>The log file of a function (<c>StatePaths.FunctionLogs/{name}.log</c>).</summary>
    public string LogPathOf(string functionName) => Path.Combine(_options.State.FunctionLogs, functionName + ".log");

    /// <summary>Process ids of a function's live execution environments (empty when it has none).</summary>
    public IReadOnlyList<int> ProcessIdsOf(string functionName) =>
        _functions.TryGetValue(functionName, out var function) ? function.ProcessIds : [];

    /// <summary>
    /// A function's invocations in flight across its versions (0 when it has none, or there is no such function): what
    /// Lambda's <c>ConcurrentExecutions</c> metric counts, and what the concurrency limit is checked against.
    /// </summary>
    public int ConcurrentExecutionsOf(string functionName) =>
        _functions.TryGetValue(functionName, out var function) ? function.ConcurrentExecutions : 0;

    /// <summary>Stops a function's environments and forgets it.</summary>
    public async Task RemoveAsync(string functionName)
    {
        if (_functions.TryRemove(functionName, out var host))
        {
            _unreserved.TryResize(host.UnreservedProvisioned, int.MinValue);
            await host.DisposeAsync().ConfigureAwait(false);
            await host.Log.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops every environment (killing its processes), then pending Event invocations, the event store and the log
    /// writers. The environments go first: an Event invocation under way ends with its runtime instead of being waited
    /// for, which could take up to the function's timeout; it is not done, and runs again after the next start. A reap
    /// under way ends before the environments are stopped. Each step runs whatever failed before it, so that one
    /// failure (an environment whose process could not be stopped) leaves nothing after it open; the first failure is
    /// rethrown once every step has run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _reaper.DisposeAsync().ConfigureAwait(false);
        Task reaping;
        lock (_reapGate)
        {
            reaping = _reaping;
        }

        // A reap reports its own failures: this only waits for it.
        await reaping.ConfigureAwait(false);
        _events.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        var hosts = _functions.Values.ToList();
        _functions.Clear();
        var failure = await StepAsync(() => Task.WhenAll(hosts.Concat(_draining.Keys).Select(h => h.DisposeAsync().AsTask())), null).ConfigureAwait(false);
        failure = await StepAsync(
            async () =>
            {
                await _eventLoop.ConfigureAwait(false);
                await Task.WhenAll(_eventTasks.Keys).ConfigureAwait(false);
            },
            failure).ConfigureAwait(false);
        if (_eventStore is not null)
        {
            failure = await StepAsync(() => _eventStore.DisposeAsync().AsTask(), failure).ConfigureAwait(false);
        }

        foreach (var host in hosts)
        {
            failure = await StepAsync(() => host.Log.DisposeAsync().AsTask(), failure).ConfigureAwait(false);
        }

        _stopping.Dispose();
        failure?.Throw();
    }

    /// <summary>
    /// Runs one step of the service's stop and returns <paramref name="failure"/>, the first failure of the steps before
    /// it, or this step's own when there was none: a stop goes on to its next step whatever failed.
    /// </summary>
    private static async Task<ExceptionDispatchInfo?> StepAsync(Func<Task> step, ExceptionDispatchInfo? failure)
    {
        try
        {
            await step().ConfigureAwait(false);
            return failure;
        }
#pragma warning disable CA1031 // Whatever failed is rethrown at the end of the stop, once the steps after it have run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return failure ?? ExceptionDispatchInfo.Capture(exception);
        }
    }

    private async Task EventLoopAsync()
    {
        await foreach (var queued in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var task = RunEventAsync(queued);
            _eventTasks[task] = 0;
            _ = task.ContinueWith(t => _eventTasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Runs an Event invocation as Lambda's queue does (invocation-async-error-handling): a function error (the code's,
    /// or the runtime's such as a timeout) is retried after each of <see cref="FunctionsOptions.EventRetryDelays"/>; a
    /// throttle (429) or a failure of Lambda itself (5xx) goes back to the queue and is tried again after a delay
    /// growing from 1 second to 5 minutes, however often; either way the event is dropped once it would be older than
    /// <see cref="FunctionsOptions.MaximumEventAge"/>, counted from its 202. The delays run on the service's clock. The
    /// event leaves the store when it has run or is dropped; a stop leaves it there, its attempt under way not done.
    /// </summary>
    private async Task RunEventAsync(QueuedEvent queued)
    {
        var retries = queued.Retries;
        var backoff = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (!_functions.TryGetValue(queued.FunctionName, out var function) || function.Resolve(queued.Qualifier) is not { } host)
            {
                // The function (or its alias) went away with the event queued, as after DeleteFunction on Lambda.
                if (!_stopping.IsCancellationRequested)
                {
                    Drop(queued, attempt - 1, "ResourceNotFoundException");
                }

                return;
            }

            if (IsPastMaximumAge(queued, _time.GetUtcNow()))
            {
                Drop(queued, attempt - 1, "MaximumEventAge");
                return;
            }

            InvocationResult result;
            try
            {
                result = await host.InvokeAsync(queued.RequestId, queued.Payload, queued.Context, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (result.Succeeded)
            {
                _eventStore?.Remove(queued.RequestId);
                return;
            }

            if (_stopping.IsCancellationRequested)
            {
                // The stop ended the attempt (its runtime was killed): not the function's failure, and not done.
                return;
            }

            var errorType = result.FunctionError ?? result.ServiceErrorType;
            FunctionsLog.EventAttemptFailed(_logger, queued.FunctionName, queued.RequestId, errorType, attempt);
            TimeSpan delay;
            if (result.FunctionError is not null && retries < _options.EventRetryDelays.Count)
            {
                delay = _options.EventRetryDelays[retries++];
                _eventStore?.Retried(queued.RequestId, retries);
            }
            else if (result.FunctionError is null && result.StatusCode is 429 or >= 500)
            {
                backoff = backoff == TimeSpan.Zero ? FirstThrottleDelay : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxThrottleDelay.Ticks));
                delay = backoff;
            }
            else
            {
                Drop(queued, attempt, errorType);
                return;
            }

            if (IsPastMaximumAge(queued, _time.GetUtcNow() + delay))
            {
                Drop(queued, attempt, "MaximumEventAge");
                return;
            }

            try
            {
                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether <paramref name="queued"/> would be older than the maximum event age at <paramref name="at"/>, counted from its 202.</summary>
    private bool IsPastMaximumAge(QueuedEvent queued, DateTimeOffset at) => at - queued.AcceptedAt > _options.MaximumEventAge;

    /// <summary>An Event invocation's failure path: logged and forgotten (Cloister has no on-failure destination or DLQ).</summary>
    private void Drop(QueuedEvent queued, int attempts, string? reason)
    {
        FunctionsLog.EventDropped(_logger, queued.FunctionName, queued.RequestId, attempts, reason);
        _eventStore?.Remove(queued.RequestId);
    }

    /// <summary>
    /// Holds the events a previous run accepted and did not complete until their function is deployed (the host deploys
    /// after the service starts); those already past their maximum age take their failure path now.
    /// </summary>
    private void Park(List<QueuedEvent> pending)
    {
        var now = _time.GetUtcNow();
        var parked = 0;
        lock (_parkedGate)
        {
            foreach (var queued in pending)
            {
                if (IsPastMaximumAge(queued, now))
                {
                    Drop(queued, 0, "MaximumEventAge");
                    continue;
                }

                if (!_parked.TryGetValue(queued.FunctionName, out var events))
                {
                    _parked[queued.FunctionName] = events = [];
                }

                events.Add(queued);
                parked++;
            }
        }

        if (parked > 0)
        {
            FunctionsLog.EventsResumed(_logger, parked);
        }
    }

    /// <summary>Queues a freshly deployed function's events from before the last stop, in the order they were accepted.</summary>
    private void Unpark(string functionName)
    {
        List<QueuedEvent>? events;
        lock (_parkedGate)
        {
            _parked.Remove(functionName, out events);
        }

        foreach (var queued in events ?? [])
        {
            _events.Writer.TryWrite(queued);
        }
    }

    /// <summary>Drops the parked events of functions never deployed again once they are past their maximum age.</summary>
    private void DropExpiredParked()
    {
        var now = _time.GetUtcNow();
        lock (_parkedGate)
        {
            foreach (var (name, events) in _parked)
            {
                foreach (var expired in events.Where(e => IsPastMaximumAge(e, now)))
                {
                    Drop(expired, 0, "MaximumEventAge");
                }

                events.RemoveAll(e => IsPastMaximumAge(e, now));
                if (events.Count == 0)
                {
                    _parked.Remove(name);
                }
            }
        }
    }

    /// <summary>
    /// The reaper's tick: starts a reap unless one is under way (a tick during a long reap is skipped, not run beside it)
    /// or the service is stopping, whose dispose waits for the reap it finds.
    /// </summary>
    private void Reap()
    {
        lock (_reapGate)
        {
            if (_reaping.IsCompleted && Volatile.Read(ref _disposed) == 0)
            {
                _reaping = Task.Run(ReapAsync);
            }
        }
    }

    private async Task ReapAsync()
    {
        DropExpiredParked();
        foreach (var host in _functions.Values.SelectMany(f => f.Hosts))
        {
            try
            {
                await host.ReapIdleAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // No one awaits a reap but the stop; a failure is reported here and the next tick tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                FunctionsLog.ReapFailed(_logger, host.Function.Name, exception);
            }
        }
    }
}
