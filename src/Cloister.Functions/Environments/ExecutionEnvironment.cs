using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Cloister.Functions.Launching;
using Cloister.Functions.Logging;
using Cloister.Functions.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Environments;

/// <summary>
/// One execution environment: a process running the function's runtime and the Runtime API it talks to. It runs one
/// invocation at a time; <see cref="FunctionHost"/> decides which environment gets which invocation. Its Runtime API
/// is the only way invocations reach the process, so the environment is the Runtime API's handler.
/// </summary>
internal sealed partial class ExecutionEnvironment : IRuntimeApiHandler, IAsyncDisposable
{
    private readonly FunctionDefinition _function;
    private readonly FunctionLogWriter _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // The waiting /next (the only reader) writes its response on the invoking thread, without a thread-pool hop.
    private readonly Channel<PendingInvocation> _queue = Channel.CreateBounded<PendingInvocation>(
        new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });

    private readonly TaskCompletionSource<InitResult> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RuntimeState _state = new();

    /// <summary>The error of an invocation whose runtime named a response mode Lambda does not know.</summary>
    private const string InvalidResponseModeType = "Runtime.InvalidResponseModeHeader";
    private PendingInvocation? _current;
    private RuntimeApiServer? _server;
    private ILaunchedProcess? _process;
    private OutputPump? _stdout;
    private OutputPump? _stderr;
    private long _started;
    private int _disposed;
    private bool _initStarted;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _status;
    private string? _temporary;
    private Action<ExecutionEnvironment>? _exited;
    private InvocationLogTail? _tail;

    /// <param name="function">The version it runs.</param>
    /// <param name="log">The function's log.</param>
    /// <param name="time">The service's clock.</param>
    /// <param name="logger">Cloister's own log.</param>
    /// <param name="provisioned">One of the version's provisioned concurrency.</param>
    /// <param name="exited">Told when its runtime process ends, whatever the cause (after the invocation under way, if
    /// any, was ended); its successors after a reset tell it too.</param>
    public ExecutionEnvironment(
        FunctionDefinition function, FunctionLogWriter log, TimeProvider time, ILogger logger, bool provisioned = false, Action<ExecutionEnvironment>? exited = null)
        : this(function, log, time, logger, string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy'/'MM'/'dd}/[{function.Version}]{Guid.NewGuid():N}"), provisioned)
    {
        _exited = exited;
    }

    private ExecutionEnvironment(FunctionDefinition function, FunctionLogWriter log, TimeProvider time, ILogger logger, string logStreamName, bool provisioned)
    {
        _function = function;
        _log = log;
        _time = time;
        _logger = logger;
        LogStreamName = logStreamName;
        Provisioned = provisioned;
        LastUsed = time.GetTimestamp();
    }

    public string LogStreamName { get; }

    /// <summary>
    /// One of its version's provisioned concurrency: initialized at deploy (<c>AWS_LAMBDA_INITIALIZATION_TYPE</c>
    /// <c>provisioned-concurrency</c>), never reaped, its invocations not counted in the on-demand pool.
    /// </summary>
    public bool Provisioned { get; }

    public int ProcessId => _process?.Id ?? 0;

    public bool IsAlive => _process is { } process && !process.Exited.IsCompleted && Volatile.Read(ref _disposed) == 0;

    /// <summary>
    /// True until <see cref="StartAsync"/> is called: for an idle environment, one that was reset after an invocation
    /// failed and waits for its next invocation to initialize the runtime again (a suppressed init).
    /// </summary>
    public bool AwaitsInit => !_initStarted && Volatile.Read(ref _disposed) == 0;

    /// <summary>When the environment last finished an invocation (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastUsed { get; set; }

    /// <summary>How long ago its runtime's init began (zero before <see cref="StartAsync"/>): the age Lambda retires environments at.</summary>
    public TimeSpan Age => _initStarted && _started != 0 ? _time.GetElapsedTime(_started) : TimeSpan.Zero;

    /// <summary>
    /// The same execution environment after Lambda's reset: a fresh runtime process behind a Runtime API of its own
    /// (a process of the old runtime that outlived its kill cannot reach it), writing to the same log stream and
    /// keeping the same temporary folder, as a reset keeps <c>/tmp</c>. The successor owns the folder from now on (it
    /// goes when the successor is disposed, started or not). Call <see cref="StartAsync"/> on the successor after
    /// disposing this one.
    /// </summary>
    public ExecutionEnvironment Reset()
    {
        var successor = new ExecutionEnvironment(_function, _log, _time, _logger, LogStreamName, Provisioned) { _temporary = _temporary, _exited = _exited };
        _temporary = null;
        return successor;
    }

    /// <summary>Opens the Runtime API, starts the process and waits, at most <paramref name="limit"/>, for its init phase to end.</summary>
    public async Task<InitResult> StartAsync(IProcessLauncher launcher, ILoggerFactory? loggerFactory, TimeSpan limit, CancellationToken cancellationToken)
    {
        _initStarted = true;
        var placement = new ProcessPlacement(_function.Name, _function.Function.Vpc);
        var api = await launcher.OpenRuntimeApiSocketAsync(placement, cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while the socket was being opened (the service is stopping): nothing else is made.
            api.Socket.Dispose();
            return Stopped(TimeSpan.Zero);
        }

        // A full fence between storing the server and reading _disposed, as for the process below: DisposeAsync takes
        // the server it finds, and one stored after it looked is this method's to stop (it was left listening).
        Interlocked.Exchange(ref _server, await RuntimeApiServer.StartAsync(api.Socket, this, loggerFactory, cancellationToken).ConfigureAwait(false));
        if (Volatile.Read(ref _disposed) != 0)
        {
            await StopWhatTheStartMadeAsync().ConfigureAwait(false);
            return Stopped(TimeSpan.Zero);
        }

        // Each init gets credentials of its own (see FunctionDefinition.Credentials).
        var environment = (_function.Credentials is { } issue ? LambdaEnvironment.WithCredentials(_function.Environment, issue()) : _function.Environment)
            .SetItem("AWS_LAMBDA_RUNTIME_API", api.Address)
            .SetItem("AWS_LAMBDA_LOG_STREAM_NAME", LogStreamName)
            .SetItem("AWS_LAMBDA_INITIALIZATION_TYPE", Provisioned ? "provisioned-concurrency" : "on-demand");
        if (!environment.ContainsKey("TMPDIR"))
        {
            // Each Lambda environment has a /tmp of its own that goes with it; here a folder of its own, named by
            // TMPDIR, removed when the environment ends (with what runtimes leave there, such as .NET's diagnostic sockets).
            _temporary = Directory.CreateDirectory(Path.Combine(_function.TemporaryRoot, LogStreamName[^32..])).FullName;
            environment = environment.SetItem("TMPDIR", _temporary);
        }

        _started = _time.GetTimestamp();
        var (fileName, problem) = EntrypointOf();
        if (problem is not null)
        {
            FunctionsLog.EntrypointInvalid(_logger, _function.Name, problem);
            return InvalidEntrypoint(problem);
        }

        var spec = new ProcessLaunchSpec(fileName!, _function.Command.Arguments, _function.TaskRoot, environment, placement);
        try
        {
            if (_function.LayerRoot is { } layers)
            {
                var (wrapper, arguments) = LayerMount.Wrap(spec.FileName, spec.Arguments, layers);
                spec = spec with { FileName = wrapper, Arguments = arguments };
            }

            // A full fence between storing the process and reading _disposed below: DisposeAsync sets _disposed (with
            // Interlocked.Exchange) and then reads _process, so one of the two sides always sees the other's write.
            // A plain store could be reordered after the read and both could miss each other, leaving the runtime running.
            var process = await launcher.StartAsync(spec, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _process, process);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            // What the checks before could not see (an ELF program's missing loader): exec's own refusal, in Lambda's words.
            FunctionsLog.ProcessStartFailed(_logger, _function.Name, exception);
            return InvalidEntrypoint(Entrypoint.ForkExecError(fileName!, exception.NativeErrorCode));
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while the process was being started (the service is stopping): it must not outlive the
            // environment, nor must the server and the temporary folder made since the dispose looked for them.
            await StopWhatTheStartMadeAsync().ConfigureAwait(false);
            return Stopped(_time.GetElapsedTime(_started));
        }

        _stdout = new OutputPump(_process.StandardOutput, WriteLog);
        _stderr = new OutputPump(_process.StandardError, WriteLog);
        _ = _process.Exited.ContinueWith(exited => OnExited(exited.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        FunctionsLog.EnvironmentStarted(_logger, _function.Name, _process.Id, api.Address);
        try
        {
            return await _init.Task.WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The process keeps running until the environment is disposed; a /next arriving now finds init over.
            _init.TrySetResult(new InitResult("timeout", limit, null, default, null));
            return await _init.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The program to start, as the function sees it, or why it cannot start: a custom runtime's bootstrap as Lambda
    /// looks for it (the code's, else a layer's <c>/opt/bootstrap</c>), then whatever exec would refuse.
    /// </summary>
    private (string? FileName, string? Problem) EntrypointOf()
    {
        var command = _function.Command.FileName;
        if (_function.Command.IsBootstrap)
        {
            var (path, hostPath, missing) = Entrypoint.FindBootstrap(_function.TaskRoot, _function.LayerRoot);
            return missing is not null ? (null, missing) : (path, Entrypoint.ExecProblem(hostPath!, path!));
        }

        return (command, Entrypoint.ExecProblem(command, command));
    }

    /// <summary>An init that could not start its runtime: Lambda's <c>Runtime.InvalidEntrypoint</c>, the reason worded as Lambda's.</summary>
    private InitResult InvalidEntrypoint(string reason) =>
        new("error", _time.GetElapsedTime(_started), Entrypoint.ErrorType, default, null) { Reason = reason };

    /// <summary>
    /// Runs one invocation: hands it to the runtime and waits for its end, the timeout or the process's exit.
    /// <paramref name="budget"/> is what is left of the function's timeout (all of it, unless an init re-run in this
    /// invocation used part of it).
    /// </summary>
    public async Task<InvocationOutcome> InvokeAsync(PendingInvocation invocation, TimeSpan budget)
    {
        Volatile.Write(ref _current, invocation);
        if ((!_queue.Writer.TryWrite(invocation) || _process is not { } process || process.Exited.IsCompleted) && invocation.TryAbandon())
        {
            invocation.Outcome.TrySetResult(InvocationOutcome.NotTaken());
        }

        InvocationOutcome outcome;
        try
        {
            outcome = await invocation.Outcome.Task.WaitAsync(budget, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (invocation.Outcome.TrySetResult(InvocationOutcome.Timeout(invocation.RequestId, _function.Function.TimeoutSeconds)))
            {
                // A runtime stuck before it took the invocation still timed it out: its START comes first.
                if (invocation.TryStart())
                {
                    WriteLog(LambdaLogLines.Start(invocation.RequestId, _function.Version));
                }

                WriteLog(LambdaLogLines.TimedOut(_time.GetUtcNow(), invocation.RequestId, _function.Function.TimeoutSeconds));
                _queue.Writer.TryComplete();
                _process?.Kill();
            }

            outcome = await invocation.Outcome.Task.ConfigureAwait(false);
        }

        Volatile.Write(ref _current, null);
        return outcome;
    }

    /// <summary>
    /// Waits until what the process has written so far is in the log. The wait ends as soon as the reader has
    /// logged what was there (a process writing without pause cannot prolong it); the limit only guards against a
    /// reader that gets no CPU at all, as on a machine under heavy load.
    /// </summary>
    public void DrainOutput()
    {
        _stdout?.Drain(TimeSpan.FromSeconds(1));
        _stderr?.Drain(TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Max Memory Used in MB: the environment's cgroup's peak, which counts all its processes as Lambda counts its
    /// microVM's; where that is not counted, the runtime process's peak resident memory (<c>/proc/PID/status</c>).
    /// </summary>
    public int MaxMemoryUsedMb() => _process?.PeakMemoryMb ?? ProcessStatus.PeakResidentMb(ref _status, ProcessId);

    /// <summary>Where the lines of the invocation under way also go, when its caller asked for its log (Invoke's <c>Tail</c>).</summary>
    public InvocationLogTail? Tail
    {
        get => Volatile.Read(ref _tail);
        set => Volatile.Write(ref _tail, value);
    }

    public void WriteLog(string message)
    {
        _log.Write(new FunctionLogEvent(_time.GetUtcNow().ToUnixTimeMilliseconds(), LogStreamName, message));
        Tail?.Append(message);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _status?.Dispose();
        await StopWhatTheStartMadeAsync().ConfigureAwait(false);

        FunctionsLog.EnvironmentStopped(_logger, _function.Name, ProcessId);
    }

    /// <summary>The result of a start the environment's dispose overtook.</summary>
    private static InitResult Stopped(TimeSpan duration) => new("error", duration, InvocationOutcome.ExitErrorType, default, -9);

    /// <summary>
    /// Stops the process, the Runtime API server and the temporary folder <see cref="StartAsync"/> made: at dispose, and
    /// again in a start the dispose overtook, which may have made them after the dispose looked for them.
    /// </summary>
    private async Task StopWhatTheStartMadeAsync()
    {
        try
        {
            if (_process is { } process)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (Interlocked.Exchange(ref _server, null) is { } server)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            RemoveTemporaryFolder();
        }
    }

    private void RemoveTemporaryFolder()
    {
        try
        {
            if (_temporary is not null && Directory.Exists(_temporary))
            {
                Directory.Delete(_temporary, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A process of the function still writing there (it outlived the kill): the stack's state folder keeps it.
        }
    }

    async Task IRuntimeApiHandler.NextAsync(HttpContext context)
    {
        if (!_init.Task.IsCompleted)
        {
            _init.TrySetResult(new InitResult(null, _time.GetElapsedTime(_started), null, default, null));
        }

        PendingInvocation invocation;
        try
        {
            invocation = await _queue.Reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ChannelClosedException)
        {
            await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, RuntimeApiResponses.NotFound).ConfigureAwait(false);
            return;
        }

        if (!invocation.TryStart())
        {
            // Given up on here already (the runtime was seen gone): it runs elsewhere.
            context.Abort();
            return;
        }

        _state.InvocationTaken(invocation.RequestId);

        // START when the runtime takes it, as Lambda writes it: an invocation its runtime never took can run elsewhere.
        WriteLog(LambdaLogLines.Start(invocation.RequestId, _function.Version));

        try
        {
            await WriteInvocationAsync(context.Response, invocation).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever failed, the invocation is out of the queue and nobody else will end it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Taken from the queue but not handed over (the runtime's connection broke): ended now as Lambda's own
            // failure rather than left to time out; the environment is reset after it.
            FunctionsLog.InvocationUndelivered(_logger, _function.Name, invocation.RequestId, exception);
            invocation.Outcome.TrySetResult(InvocationOutcome.Undelivered());
            context.Abort();
        }
    }

    private static async Task WriteInvocationAsync(HttpResponse response, PendingInvocation invocation)
    {
        var headers = response.Headers;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = invocation.Payload.Length;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.InvokedFunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        if (invocation.Context.ClientContext is { } clientContext)
        {
            headers[RuntimeApiHeaders.ClientContext] = RuntimeApiHeaders.Value(clientContext);
        }

        if (invocation.Context.CognitoIdentity is { } identity)
        {
            headers[RuntimeApiHeaders.CognitoIdentity] = RuntimeApiHeaders.Value(identity);
        }

        await response.Body.WriteAsync(invocation.Payload).ConfigureAwait(false);
    }

    async Task IRuntimeApiHandler.CompleteAsync(HttpContext context, string requestId, bool isError)
    {
        if (_state.TryBeginResponse(requestId, isError) is { } refused)
        {
            await RuntimeApiResponses.WriteAsync(context, refused.Status, refused.Body).ConfigureAwait(false);
            return;
        }

        // The invocation the runtime took may have ended meanwhile (its timeout): nothing is left to answer.
        var invocation = Volatile.Read(ref _current);
        if (invocation is null || invocation.RequestId != requestId || invocation.Outcome.Task.IsCompleted)
        {
            await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status400BadRequest, RuntimeApiResponses.InvalidRequestId).ConfigureAwait(false);
            return;
        }

        if (!isError && HasInvalidResponseMode(context.Request))
        {
            // Lambda refuses the post (400 InvalidFunctionResponseMode) and fails the invocation with
            // Runtime.InvalidResponseModeHeader; the runtime may go on to its next invocation.
            _state.ResponseAccepted();
            invocation.Outcome.TrySetResult(InvocationOutcome.FunctionError(InvocationOutcome.ErrorBody(InvalidResponseModeType, string.Empty), InvalidResponseModeType));
            await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status400BadRequest, RuntimeApiResponses.InvalidResponseMode).ConfigureAwait(false);
            return;
        }

        if (!isError && IsStreamed(context.Request))
        {
            await StreamResponseAsync(context, invocation).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        _state.ResponseAccepted();
        if (body is null)
        {
            invocation.Outcome.TrySetResult(InvocationOutcome.ResponseTooLarge());
            await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RuntimeApiResponses.TooLarge).ConfigureAwait(false);
            return;
        }

        if (isError)
        {
            var errorType = context.Request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString();
            // Lambda's runtime manager compares the header as it is, parameters and case included.
            if (context.Request.ContentType == ErrorWithCause.ContentType)
            {
                body = ErrorWithCause.CallerBody(body);
            }

            invocation.Outcome.TrySetResult(InvocationOutcome.FunctionError(
                body.Length > 0 ? body : InvocationOutcome.ErrorBody(errorType.Length > 0 ? errorType : "Unhandled", string.Empty),
                errorType.Length > 0 ? errorType : "Unhandled"));
        }
        else
        {
            invocation.Outcome.TrySetResult(InvocationOutcome.Response(body));
        }

        await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status202Accepted, RuntimeApiResponses.Accepted).ConfigureAwait(false);
    }

    async Task IRuntimeApiHandler.InitErrorAsync(HttpContext context)
    {
        if (_state.TryInitError(initUnderWay: !_init.Task.IsCompleted) is { } refused)
        {
            await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status403Forbidden, refused).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false) ?? [];
        var errorType = RuntimeApiHeaders.ErrorType(context.Request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString());
        _init.TrySetResult(new InitResult("error", _time.GetElapsedTime(_started), errorType, body, null));
        await RuntimeApiResponses.WriteAsync(context, StatusCodes.Status202Accepted, RuntimeApiResponses.Accepted).ConfigureAwait(false);
    }

    /// <summary>The whole body, or null when it is over 6 MB (what is over is read and dropped).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        const int limit = RuntimeApiServer.MaxResponseBytes;
        if (request.ContentLength is { } length and <= limit)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact).ConfigureAwait(false);
            return exact;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var total = 0;
            var tooLarge = request.ContentLength > limit;
            while (true)
            {
                if (!tooLarge && total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(tooLarge ? buffer.AsMemory() : buffer.AsMemory(total)).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (!tooLarge)
                {
                    total += read;
                    tooLarge = total > limit;
                }
            }

            return tooLarge ? null : buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnExited(int status)
    {
        _queue.Writer.TryComplete();
        // Killed (SIGKILL) while its cgroup counts an OOM kill: the OOM killer's doing, not Cloister's.
        var outOfMemory = status == -9 && _process?.OutOfMemory == true;
        var errorType = outOfMemory ? InvocationOutcome.OutOfMemoryType : InvocationOutcome.ExitErrorType;
        _init.TrySetResult(new InitResult("error", _time.GetElapsedTime(_started), errorType, default, status));
        if (Volatile.Read(ref _current) is { } invocation)
        {
            // Let the output of its last moments reach the log before the END line.
            DrainOutput();
            invocation.Outcome.TrySetResult(invocation.TryAbandon()
                ? InvocationOutcome.NotTaken()
                : InvocationOutcome.ExitError(invocation.RequestId, LambdaLogLines.ExitReason(status), outOfMemory));
        }

        FunctionsLog.ProcessExited(_logger, _function.Name, ProcessId, status);
        _exited?.Invoke(this);
    }
}
