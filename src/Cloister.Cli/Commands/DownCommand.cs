using System.CommandLine;
using System.Diagnostics;
using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Model;
using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister down</c>: stops the stack host, which tears every module and the sandbox down; removes leftovers of a crashed one.</summary>
internal static class DownCommand
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var verb = new Command("down", "Tear the running stacks and their sandbox down, or remove what a stack host that died left; nothing is left behind.");
        verb.SetAction((parse, cancellationToken) => StopAsync(
            StatePaths.FromEnvironment(),
            CliConsole.For(parse.InvocationConfiguration.Output),
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return verb;
    }

    /// <summary>Asks the host to stop, waits until it is gone, then makes sure nothing of the sandbox is left.</summary>
    public static async Task<int> StopAsync(StatePaths state, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var response = await StackChannel.SendAsync(state, new ControlRequest("down"), StopTimeout, cancellationToken).ConfigureAwait(false);
        if (response is { Ok: true })
        {
            // The host removes its control socket as its very last step.
            while (File.Exists(state.ControlSocket) && clock.Elapsed < StopTimeout)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            // Then its process exits, a moment later: the leftovers' removal would otherwise SIGTERM it in its own exit
            // (a foreground up then saw exit code 143, "crashed or was killed", once in CI).
            if (File.Exists(state.ControlSocket) || !await HostProcesses.WaitForExitAsync(state, StopTimeout - clock.Elapsed).ConfigureAwait(false))
            {
                await error.WriteLineAsync($"cloister down: the stack host did not stop within {StopTimeout.TotalSeconds} s; removing what it left.").ConfigureAwait(false);
            }

            await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);
            console.MarkupLineInterpolated($"[green]Down[/] in {clock.Elapsed.TotalSeconds:0.0} s: every module stopped, the sandbox removed.");
            return 0;
        }

        var removed = await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);

        // Exit 0 either way: down is done when nothing runs, as delete-stack of a stack that is gone succeeds.
        if (removed)
        {
            console.MarkupLine("Removed the leftovers of a stack host that is no longer running.");
        }
        else
        {
            console.MarkupLineInterpolated($"Nothing is running in {state.Root}; nothing to take down.");
        }

        return 0;
    }
}
