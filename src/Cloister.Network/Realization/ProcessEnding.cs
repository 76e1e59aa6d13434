using System.Diagnostics;

namespace Cloister.Network.Realization;

/// <summary>
/// Ends a child process with a bounded wait. <see cref="Process.WaitForExitAsync"/> on a process whose output is read
/// asynchronously also waits for that output's end, which never comes while any process that inherited the pipe lives
/// (an orphan of the child, a namespace's processes): every wait here has a deadline.
/// </summary>
internal static class ProcessEnding
{
    /// <summary>How long a killed daemon (an instance's init, a DNS server) gets to exit and close its output.</summary>
    public static readonly TimeSpan DaemonWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kills <paramref name="process"/> and its descendants and waits up to <paramref name="wait"/> for its exit and the
    /// end of its redirected output; false when that did not come in time (something else still holds the pipes).
    /// </summary>
    public static async Task<bool> KillAsync(Process process, TimeSpan wait)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone (or never started): its exit is still awaited below, for the output's end.
        }

        using var deadline = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
