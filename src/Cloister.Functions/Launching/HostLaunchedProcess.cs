using System.Diagnostics;

namespace Cloister.Functions.Launching;

/// <summary>A process started with <see cref="Process"/>, its output redirected to pipes.</summary>
internal sealed class HostLaunchedProcess : ILaunchedProcess
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostLaunchedProcess(Process process)
    {
        _process = process;
    }

    public int Id { get; private set; }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public Stream StandardError => _process.StandardError.BaseStream;

    public Task<int> Exited => _exited.Task;

    public static HostLaunchedProcess Start(ProcessLaunchSpec spec)
    {
        var info = new ProcessStartInfo(spec.FileName) { WorkingDirectory = spec.WorkingDirectory };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return Start(info);
    }

    /// <summary>Starts <paramref name="info"/> with its three standard streams redirected (input closed at once).</summary>
    public static HostLaunchedProcess Start(ProcessStartInfo info)
    {
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var launched = new HostLaunchedProcess(process);
        process.Exited += (_, _) => launched._exited.TrySetResult(ExitStatus(process));
        process.Start();
        launched.Id = process.Id;
        process.StandardInput.Close();
        if (process.HasExited)
        {
            launched._exited.TrySetResult(ExitStatus(process));
        }

        return launched;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
            // The kernel will reap it; nothing more this side can do.
        }

        _process.Dispose();
    }

    // .NET reports a process killed by signal N as 128 + N; Lambda names the signal.
    private static int ExitStatus(Process process)
    {
        var code = process.ExitCode;
        return code > 128 && code < 160 ? -(code - 128) : code;
    }
}
