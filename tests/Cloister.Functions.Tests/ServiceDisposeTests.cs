using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cloister.Functions.Launching;
using Cloister.Model;
using Cloister.Model.Compute;

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
        string[] names = ["broken", "kept1", "kept2", "kept3", "kept4"];
        foreach (var name in names)
        {
            var deployed = await service.DeployAsync(new LambdaFunction(
                name, name, "nodejs20.x", "index.handler", null, "exports.handler = async () => { console.log('hello'); return 1; };",
                128, 30, ImmutableDictionary<string, string>.Empty, null, null));
            Assert.True(deployed.Succeeded);
        }

        var invoked = await service.InvokeAsync("broken", "{}"u8.ToArray(), InvocationType.RequestResponse);
        Assert.Null(invoked.FunctionError);

        var thrown = await Record.ExceptionAsync(() => service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)));

        var open = new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(LinkTarget).OfType<string>().ToList();
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

    private static string? LinkTarget(FileSystemInfo descriptor)
    {
        try
        {
            return descriptor.LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed between the listing and the read
        }
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
}
