using System.Diagnostics;
using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Cloister.Functions.Launching;

/// <summary>
/// A process started by <see cref="ProcessSpawn"/>: the leader of a session and process group of its own, in a cgroup of
/// its own where the machine allows (<see cref="EnvironmentCgroup"/>), which holds everything it starts, daemons that
/// left the session and lost their parent too; killing the environment kills the cgroup. Without one, the kill takes
/// the group and what left it (<c>setsid</c>, <c>setpgid</c>) while still descending from the leader, found by
/// <see cref="ProcessTree"/>. A thread of its own waits for the leader's end without reaping it, which keeps the
/// group's id from being given to another process until the group is killed on dispose.
/// </summary>
internal sealed class HostLaunchedProcess : ILaunchedProcess
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly AnonymousPipeClientStream _output;
    private readonly AnonymousPipeClientStream _error;
    private readonly EnvironmentCgroup? _cgroup;
    private bool _reaped;
    private bool _disposed;

    private HostLaunchedProcess(int id, int output, int error, EnvironmentCgroup? cgroup)
    {
        Id = id;
        _cgroup = cgroup;
        _output = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(output, ownsHandle: true));
        _error = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(error, ownsHandle: true));
        new Thread(WaitForExit, maxStackSize: 256 * 1024) { IsBackground = true, Name = "function exit" }.Start();
    }

    public int Id { get; }

    public Stream StandardOutput => _output;

    public Stream StandardError => _error;

    public Task<int> Exited => _exited.Task;

    public bool OutOfMemory => _cgroup?.Memory?.OomKills() > 0;

    public int? PeakMemoryMb => _cgroup?.Memory?.PeakMb();

    public static HostLaunchedProcess Start(ProcessLaunchSpec spec) =>
        Start(spec.FileName, spec.Arguments, spec.WorkingDirectory, spec.Environment);

    /// <summary>Starts what <paramref name="info"/> describes (program, <see cref="ProcessStartInfo.ArgumentList"/>, working directory, environment as it is).</summary>
    public static HostLaunchedProcess Start(ProcessStartInfo info)
    {
        if (!string.IsNullOrEmpty(info.Arguments))
        {
            throw new ArgumentException("Pass the arguments in ArgumentList.", nameof(info));
        }

        var environment = info.Environment
            .Where(v => v.Value is not null)
            .Select(v => KeyValuePair.Create(v.Key, v.Value!));
        return Start(info.FileName, info.ArgumentList, info.WorkingDirectory, environment);
    }

    /// <summary>
    /// Kills the process and every process in its cgroup; without a cgroup, every process of its group, and every
    /// process that left the group or session while it still descends from the process (<see cref="ProcessTree"/>).
    /// </summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (_cgroup is { } cgroup)
            {
                cgroup.Kill();
            }
            else if (!_reaped)
            {
                // Until the leader is reaped its id is taken, so the group's and session's ids name this environment only.
                _ = ProcessTree.Kill(Id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Not dead yet (stuck in the kernel): the waiting thread reaps it when it is.
        }

        lock (_gate)
        {
            _disposed = true;
            if (_exited.Task.IsCompleted && !_reaped)
            {
                // What the group started after the first kill goes too, before the group's id is freed.
                KillRest();
                ProcessSpawn.Reap(Id);
                _reaped = true;
            }
        }

        if (_cgroup is { } cgroup)
        {
            await cgroup.RemoveAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await _output.DisposeAsync().ConfigureAwait(false);
        await _error.DisposeAsync().ConfigureAwait(false);
    }

    private static HostLaunchedProcess Start(
        string fileName, IEnumerable<string> arguments, string workingDirectory, IEnumerable<KeyValuePair<string, string>> environment)
    {
        // The limit Lambda gives the function, read where every launcher passes it (a fabric's wrapper too).
        var cgroup = EnvironmentCgroup.TryCreate(MemorySizeOf(environment));
        int id, output, error;
        bool placed;
        try
        {
            (id, output, error, placed) = ProcessSpawn.Start(fileName, arguments, workingDirectory, environment, cgroup);
        }
        catch
        {
            cgroup?.Remove();
            throw;
        }

        if (cgroup is not null && !placed)
        {
            // Refused (a cgroup tree that is not ours to write after all): the process tree's kill instead.
            cgroup.Remove();
            cgroup = null;
        }

        return new HostLaunchedProcess(id, output, error, cgroup);
    }

    /// <summary>The function's <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> in MiB; null for a process without one (unlimited).</summary>
    private static int? MemorySizeOf(IEnumerable<KeyValuePair<string, string>> environment) =>
        environment.FirstOrDefault(v => v.Key == "AWS_LAMBDA_FUNCTION_MEMORY_SIZE").Value is { } value
        && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mb)
            ? mb
            : null;

    private void KillRest()
    {
        ProcessSpawn.KillGroup(Id);
        _cgroup?.Kill();
    }

    private void WaitForExit()
    {
        var status = ProcessSpawn.WaitForExit(Id);
        lock (_gate)
        {
            if (status == ProcessSpawn.UnknownStatus)
            {
                _reaped = true;
            }
            else if (_disposed && !_reaped)
            {
                KillRest();
                ProcessSpawn.Reap(Id);
                _reaped = true;
            }
        }

        _exited.TrySetResult(status);
    }
}
