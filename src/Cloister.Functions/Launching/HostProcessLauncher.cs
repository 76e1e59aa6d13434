using System.Diagnostics;

namespace Cloister.Functions.Launching;

/// <summary>
/// Starts processes on the host network; the Runtime API listens on 127.0.0.1 on a free port. Each process leads a
/// process group of its own, which killing it kills whole (see <see cref="HostLaunchedProcess"/>).
/// </summary>
public sealed class HostProcessLauncher : IProcessLauncher
{
    /// <summary>The shared instance.</summary>
    public static HostProcessLauncher Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RuntimeApiSocket.ListenOnLoopback());

    /// <inheritdoc />
    public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ValueTask.FromResult<ILaunchedProcess>(HostLaunchedProcess.Start(spec));
    }

    /// <summary>
    /// Starts a prepared process (for example one a network fabric wrapped to run inside a namespace) with its output
    /// captured, as an execution environment process. The start information's environment is used as it is, its
    /// arguments are taken from <see cref="ProcessStartInfo.ArgumentList"/>.
    /// </summary>
    public static ILaunchedProcess Launch(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return HostLaunchedProcess.Start(start);
    }
}
