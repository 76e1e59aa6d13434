using System.Diagnostics;
using System.Globalization;

namespace Cloister.Host.Fabric;

/// <summary>
/// One instance's user data script, started in a process group of its own: the script and whatever it leaves
/// running (the instance's services) end together when the instance is stopped.
/// </summary>
internal sealed class BootedInstance : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);
    private readonly Process _process;
    private readonly int _groupId;
    private readonly Task _exited;

    // Boxed so the status thread reads the exit code the watcher wrote whole.
    private volatile object? _exitCode;

    private BootedInstance(string instanceId, string logicalId, string logPath, Process process)
    {
        InstanceId = instanceId;
        LogicalId = logicalId;
        LogPath = logPath;
        _process = process;
        _groupId = process.Id;
        _exited = WatchAsync();
    }

    /// <summary>The instance id.</summary>
    public string InstanceId { get; }

    /// <summary>The template's logical id.</summary>
    public string LogicalId { get; }

    /// <summary>The script's standard output and error (cloud-init-output.log).</summary>
    public string LogPath { get; }

    /// <summary>The script's exit code, once it has ended.</summary>
    public int? ExitCode => (int?)_exitCode;

    /// <summary>Whether the script or a process it left behind still runs.</summary>
    public bool Running => Native.GroupAlive(_groupId);

    /// <summary>Starts <paramref name="start"/> (already placed on the instance's host) in a new session and process group.</summary>
    public static BootedInstance Start(string instanceId, string logicalId, string logPath, ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        // setsid execs in place (a child of this process is never a group leader), so the group id is the pid.
        start.ArgumentList.Insert(0, start.FileName);
        start.FileName = "setsid";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the user data of {logicalId}.");
        return new BootedInstance(instanceId, logicalId, logPath, process);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the script to end; true when it has.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The last non-empty line of the log, to say why a script failed.</summary>
    public string? LastLogLine()
    {
        try
        {
            return File.ReadLines(LogPath).LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Stops the instance: SIGTERM to its process group, SIGKILL to whatever is left after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        var group = _groupId;
        if (Native.SignalGroup(group, Native.SigTerm))
        {
            var deadline = Stopwatch.StartNew();
            while (Native.GroupAlive(group) && deadline.Elapsed < StopGrace)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            Native.SignalGroup(group, Native.SigKill);
        }

        await WaitAsync(StopGrace).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task WatchAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var code = _process.ExitCode;
        _exitCode = code;
        try
        {
            await File.AppendAllTextAsync(
                LogPath,
                string.Create(CultureInfo.InvariantCulture, $"Cloister: user data of {LogicalId} ({InstanceId}) exited with status {code} at {DateTimeOffset.UtcNow:O}\n")).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The log is a convenience; the exit code is kept either way.
        }
    }
}
