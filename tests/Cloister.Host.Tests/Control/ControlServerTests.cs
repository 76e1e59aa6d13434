using Cloister.Host.Control;

namespace Cloister.Host.Tests.Control;

/// <summary>The control socket's server on its own: a command it accepted is answered before its dispose returns.</summary>
public sealed class ControlServerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloister-control-").FullName;

    private string SocketPath => Path.Combine(_root, "control.sock");

    [Fact(Timeout = 60_000)]
    public async Task DisposeAsync_CommandBeingServed_CancelsItAndWaitsForItsAnswer()
    {
        // As cloister down does to a running deploy: the command sees the cancellation, takes a moment to end, and its
        // answer reaches the client. Before, the dispose returned at once and the host process could end first.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = false;
        var server = ControlServer.Start(SocketPath, async (_, cancellationToken) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await Task.Delay(300, CancellationToken.None);
            Volatile.Write(ref answered, true);
            return new ControlResponse(false, "cancelled");
        });
        var answer = ControlClient.SendAsync(SocketPath, new ControlRequest("deploy"), TimeSpan.FromSeconds(30));
        await started.Task;

        await server.DisposeAsync();

        Assert.True(Volatile.Read(ref answered), "the dispose returned before the command had answered");
        Assert.Equal(new ControlResponse(false, "cancelled"), await answer);
        Assert.False(File.Exists(SocketPath));
    }

    [Fact(Timeout = 60_000)]
    public async Task DisposeAsync_NoCommandBeingServed_RemovesTheSocket()
    {
        var server = ControlServer.Start(SocketPath, (_, _) => Task.FromResult(new ControlResponse(true)));
        var answer = await ControlClient.SendAsync(SocketPath, new ControlRequest("status"), TimeSpan.FromSeconds(10));

        await server.DisposeAsync();

        Assert.Equal(new ControlResponse(true), answer);
        Assert.False(File.Exists(SocketPath));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
