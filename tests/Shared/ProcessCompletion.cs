using System.Diagnostics;

namespace Cloister.Tests.Shared;

/// <summary>Waits for a started command whose output and error are redirected, as the tests that run <c>cloister</c> do.</summary>
internal static class ProcessCompletion
{
    /// <summary>
    /// The command's exit code and everything it wrote; after <paramref name="timeout"/> its whole process tree is
    /// killed and a <see cref="TimeoutException"/> names <paramref name="command"/> with what it had written.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> FinishAsync(Process process, TimeSpan timeout, string command)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not end within {timeout}.\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
