using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cloister.Functions.Launching;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Tests.Shared;

namespace Cloister.Functions.Tests;

/// <summary>Stopping the service: every environment is killed first, so nothing under way makes it wait.</summary>
public sealed class ServiceDisposeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-dispose-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// The handler would write a file when its 30 s are up. A dispose that waited for it would return only after that
    /// file was written; one that kills the environment returns with the process gone and no file. That is the
    /// assertion, not a clock (a bound of 10 s failed under load): the two-minute limit only stops waiting for a dispose
    /// that hangs, and lies beyond the handler's 30 s so that waiting for it is caught by the file.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_EventInvocationRunning_StopsItWithoutWaitingForIt()
    {
        var finished = Path.Combine(_root, "handler-finished");
        await using var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root) });
        var deployed = await service.DeployAsync(new LambdaFunction(
            "slow", "slow", "nodejs20.x", "index.handler", null,
            "const fs = require('node:fs'); exports.handler = () => new Promise((r) => setTimeout(() => { fs.writeFileSync(process.env.FINISHED, 'yes'); r(); }, 30000));",
            128, 300, ImmutableDictionary<string, string>.Empty.Add("FINISHED", finished), null, null));
        Assert.True(deployed.Succeeded);
        await service.InvokeAsync("slow", "{}"u8.ToArray(), InvocationType.Event);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (service.ProcessIdsOf("slow").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var pid = Assert.Single(service.ProcessIdsOf("slow"));

        await service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"process {pid} still runs");
        Assert.False(File.Exists(finished), "the handler ran to its end before the service stopped");
    }

    /// <summary>
    /// A function's log file that cannot be written (here /dev/full, a full disk) ends that function's log writer
    /// with an IOException, which its dispose rethrows. The service's dispose closed the log writers one after the
    /// other, so that exception ended it midway: every writer after the failed one was left open, and the caller's own
    /// stop was cut short by the throw. Each function here has a log file; the broken one's place among them is the
    /// dictionary's order, so with five of them it is rarely last.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_OneFunctionsLogFileCannotBeWritten_ClosesEveryOtherLogFileWithoutThrowing()
    {
        var state = new StatePaths(_root);
        Directory.CreateDirectory(state.FunctionLogs);
        File.CreateSymbolicLink(Path.Combine(state.FunctionLogs, "broken.log"), "/dev/full");
        var service = new LambdaService(new FunctionsOptions { State = state });
        await DeployAndInvokeFirstAsync(service, "broken", "kept1", "kept2", "kept3", "kept4");

        var thrown = await Record.ExceptionAsync(() => service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)));

        var open = OpenFiles.OfThisProcess();
        Assert.DoesNotContain(open, target => target.StartsWith(state.FunctionLogs, StringComparison.Ordinal));
        Assert.Null(thrown);
    }

    /// <summary>
    /// A stop that comes while an environment is starting must still take what the start makes after it: the
    /// environment's dispose found no Runtime API server yet, and the start then made one after it, which was never
    /// stopped: it kept listening on its port for the life of the process. The launcher here holds the start at its
    /// first step (opening the Runtime API's socket) until the service is stopped.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_WhileAnEnvironmentStarts_LeavesNoRuntimeApiListening()
    {
        var state = new StatePaths(_root);
        var launcher = new HeldLauncher();
        var service = new LambdaService(new FunctionsOptions { State = state }, launcher);
        var deployed = await service.DeployAsync(new LambdaFunction(
            "f", "f", "nodejs20.x", "index.handler", null, "exports.handler = async () => 1;",
            128, 30, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded);
        var invocation = service.InvokeAsync("f", "{}"u8.ToArray(), InvocationType.RequestResponse).AsTask();
        await launcher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        launcher.Hold.SetResult();
        _ = await Record.ExceptionAsync(() => invocation.WaitAsync(TimeSpan.FromMinutes(1)));

        var api = Assert.Single(launcher.Opened);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connected = await Record.ExceptionAsync(() => client.ConnectAsync(api).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType<SocketException>(connected);
    }

    /// <summary>
    /// An environment whose process cannot be stopped (its launcher's dispose throws) made the service's dispose throw
    /// while it stopped the environments, before it closed the event store and every function's log file: they stayed
    /// open for the life of the process. The stop now closes them all and then throws that first failure.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_AnEnvironmentCannotBeStopped_ClosesTheEventStoreAndLogFilesAndRethrows()
    {
        var state = new StatePaths(_root);
        var launcher = new StopFaultLauncher { Fails = true };
        launcher.Hold.SetResult();
        var service = new LambdaService(new FunctionsOptions { State = state }, launcher);
        await DeployAndInvokeFirstAsync(service, "stuck", "other");

        var thrown = await Record.ExceptionAsync(() => service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)));

        var open = OpenFiles.OfThisProcess();
        Assert.DoesNotContain(open, target => target.StartsWith(_root, StringComparison.Ordinal));
        Assert.Same(StopFaultLauncher.Failure, thrown);
    }

    /// <summary>
    /// The reaper stops idle environments on a timer of its own, and nobody waited for a reap: a stop that came during
    /// one found the environment being stopped already (its dispose runs once) and returned while the reap was still
    /// stopping its process. The launcher here holds the reap's stop of the process until the test lets it go.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_WhileAReapStopsAnEnvironment_ReturnsOnlyOnceTheReapEnded()
    {
        var launcher = new StopFaultLauncher();
        var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root), IdleTimeout = TimeSpan.FromMilliseconds(300) }, launcher);
        await DeployAndInvokeFirstAsync(service, "idle");
        await launcher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var disposing = service.DisposeAsync().AsTask();
        // What is asserted is that the stop has not returned: a stop that does not wait returns at once, well within this.
        var returnedEarly = await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(1))) == disposing;
        launcher.Hold.SetResult();
        await disposing.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.False(returnedEarly, "the stop returned while a reap was still stopping an environment");
    }

    /// <summary>
    /// A reap that failed (an environment whose process could not be stopped) ended a task nobody awaited: the failure
    /// was reported nowhere. It is now an error in Cloister's log, and the stop after it is clean.
    /// </summary>
    [Fact]
    public async Task Reap_AnEnvironmentCannotBeStopped_ReportsTheFailure()
    {
        var logger = new RecordingLogger();
        using var factory = logger.Factory();
        var launcher = new StopFaultLauncher { Fails = true };
        launcher.Hold.SetResult();
        var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root), IdleTimeout = TimeSpan.FromMilliseconds(300) }, launcher, factory);
        await DeployAndInvokeFirstAsync(service, "idle");
        await launcher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (logger.Count(20) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var stopped = await Record.ExceptionAsync(() => service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Contains(logger.Entries, e => e.EventId == 20 && e.Message.Contains("idle", StringComparison.Ordinal));
        Assert.Null(stopped);
    }

    /// <summary>
    /// A reap takes its expired environments out of the function before it stops them one by one: one whose stop failed
    /// ended the loop, and the others, forgotten already, kept their processes running with nobody left to stop them.
    /// </summary>
    [Fact]
    public async Task Reap_OneOfTwoEnvironmentsCannotBeStopped_StillStopsTheOther()
    {
        var logger = new RecordingLogger();
        using var factory = logger.Factory();
        var launcher = new StopFaultLauncher { Fails = true };
        launcher.Hold.SetResult();
        var service = new LambdaService(new FunctionsOptions { State = new StatePaths(_root), IdleTimeout = TimeSpan.FromMilliseconds(300) }, launcher, factory);
        var deployed = await service.DeployAsync(new LambdaFunction(
            "pair", "pair", "nodejs20.x", "index.handler", null, "exports.handler = async () => { await new Promise(r => setTimeout(r, 500)); return 1; };",
            128, 30, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded);
        var invocations = await Task.WhenAll(
            service.InvokeAsync("pair", "{}"u8.ToArray(), InvocationType.RequestResponse).AsTask(),
            service.InvokeAsync("pair", "{}"u8.ToArray(), InvocationType.RequestResponse).AsTask());
        Assert.All(invocations, i => Assert.Null(i.FunctionError));
        var processes = service.ProcessIdsOf("pair");
        Assert.Equal(2, processes.Count);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((logger.Count(20) == 0 || processes.Any(Alive)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var running = processes.Where(Alive).ToList();
        await service.DisposeAsync();

        Assert.True(logger.Count(20) > 0, "the failed stop was not reported");
        Assert.Empty(running);

        static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');
    }

    /// <summary>The host's launcher, holding each Runtime API socket's opening until <see cref="Hold"/> is completed.</summary>
    private sealed class HeldLauncher : IProcessLauncher
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Hold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<EndPoint> Opened { get; } = [];

        public async ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Hold.Task.ConfigureAwait(false);
            var api = await HostProcessLauncher.Instance.OpenRuntimeApiSocketAsync(placement, cancellationToken).ConfigureAwait(false);
            lock (Opened)
            {
                Opened.Add(api.Socket.LocalEndPoint!);
            }

            return api;
        }

        public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken) =>
            HostProcessLauncher.Instance.StartAsync(spec, cancellationToken);
    }

    /// <summary>Deploys a Node function that logs a line under each of <paramref name="names"/>, and invokes the first once so that it has an environment.</summary>
    private static async Task DeployAndInvokeFirstAsync(LambdaService service, params string[] names)
    {
        foreach (var name in names)
        {
            var deployed = await service.DeployAsync(new LambdaFunction(
                name, name, "nodejs20.x", "index.handler", null, "exports.handler = async () => { console.log('hello'); return 1; };",
                128, 30, ImmutableDictionary<string, string>.Empty, null, null));
            Assert.True(deployed.Succeeded);
        }

        var invoked = await service.InvokeAsync(names[0], "{}"u8.ToArray(), InvocationType.RequestResponse);
        Assert.Null(invoked.FunctionError);
    }

    /// <summary>
    /// The host's launcher, whose processes' dispose (the environment's stop of its process) signals
    /// <see cref="Entered"/>, waits for <see cref="Hold"/>, stops the process and then, when <see cref="Fails"/>, throws.
    /// </summary>
    private sealed class StopFaultLauncher : IProcessLauncher
    {
        public static readonly InvalidOperationException Failure = new("the process cannot be stopped");

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Hold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Fails { get; init; }

        public ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken) =>
            HostProcessLauncher.Instance.OpenRuntimeApiSocketAsync(placement, cancellationToken);

        public async ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken) =>
            new Process(await HostProcessLauncher.Instance.StartAsync(spec, cancellationToken).ConfigureAwait(false), this);

        private sealed class Process(ILaunchedProcess inner, StopFaultLauncher launcher) : ILaunchedProcess
        {
            public int Id => inner.Id;

            public Stream StandardOutput => inner.StandardOutput;

            public Stream StandardError => inner.StandardError;

            public Task<int> Exited => inner.Exited;

            public bool OutOfMemory => inner.OutOfMemory;

            public int? PeakMemoryMb => inner.PeakMemoryMb;

            public void Kill() => inner.Kill();

            public async ValueTask DisposeAsync()
            {
                launcher.Entered.TrySetResult();
                await launcher.Hold.Task.ConfigureAwait(false);
                await inner.DisposeAsync().ConfigureAwait(false);
                if (launcher.Fails)
                {
                    throw Failure;
                }
            }
        }
    }
}
