using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Host.Status;
using Cloister.Model;
using Cloister.Network;

namespace Cloister.Cli.Commands;

/// <summary>How the verbs reach the running stack host: its control socket in the state folder.</summary>
internal static class StackChannel
{
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a host told to stop gets to tear down before it is killed (as long as <c>down</c> waits for one).</summary>
    private static readonly TimeSpan HostStopGrace = TimeSpan.FromSeconds(60);

    /// <summary>The running stacks' status; null when no host answers or it is still coming up.</summary>
    public static async Task<StackStatus?> StatusAsync(StatePaths state, CancellationToken cancellationToken) =>
        (await ReadyStatusAsync(state, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>
    /// The running stacks' status, else why there is none (<see cref="NotRunning"/> or <see cref="ComingUp"/>) with the
    /// verb's exit code for it (<see cref="ExitCodeOf"/>).
    /// </summary>
    public static async Task<(StackStatus? Status, string Problem, int ExitCode)> ReadyStatusAsync(StatePaths state, CancellationToken cancellationToken)
    {
        var response = await SendAsync(state, new ControlRequest("status"), QuickTimeout, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            { Ok: true, Status: { } status } => (status, string.Empty, 0),
            null => (null, NotRunning(state), ExitCodeOf(response)),
            _ => (null, Problem(state, response), ExitCodeOf(response)),
        };
    }

    /// <summary>
    /// The exit code of a verb the host did not serve: <see cref="CliApplication.NotRunningExitCode"/> when there are no
    /// ready stacks (no host answers, or it is still coming up), else 1 (the host's own refusal).
    /// </summary>
    public static int ExitCodeOf(ControlResponse? response) =>
        response is null || response.Error == ControlResponse.ComingUp ? CliApplication.NotRunningExitCode : 1;

    /// <summary>What a refusal of the host means to a person: the stacks are still coming up, or the host's own words.</summary>
    public static string Problem(StatePaths state, ControlResponse response) =>
        response.Error == ControlResponse.ComingUp ? ComingUp(state) : response.Error ?? "the stack host refused the request.";

    /// <summary>Sends a request; null when no host answers.</summary>
    public static async Task<ControlResponse?> SendAsync(StatePaths state, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await ControlClient.SendAsync(state.ControlSocket, request, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes what a crashed or orphaned host left: the host itself if it still runs without answering
    /// (<see cref="HostProcesses"/>), its namespaces (and the processes in them), its socket and files. Whether there was any.
    /// </summary>
    public static async Task<bool> RemoveLeftoversAsync(StatePaths state)
    {
        // A host that never answered (its up killed before the control socket existed, or one that did not stop) is
        // ended first: SIGTERM makes it tear down what it brought up; else it would go on building the sandbox removed here.
        var hosts = await HostProcesses.StopAsync(state, HostStopGrace).ConfigureAwait(false);
        var prefix = SandboxOptions.ForState(state).Prefix;
        var namespaces = await Sandbox.ListNamespacesAsync(prefix).ConfigureAwait(false);
        var found = hosts.Count > 0 || namespaces.Count > 0 || File.Exists(state.ControlSocket) || File.Exists(HostRunner.PidPath(state));
        if (namespaces.Count > 0)
        {
            await Sandbox.CleanupAsync(prefix).ConfigureAwait(false);
        }

        if (found)
        {
            File.Delete(state.ControlSocket);
            File.Delete(HostRunner.PidPath(state));
        }

        return found;
    }

    /// <summary>
    /// The message for verbs that need running stacks when no host answers: none runs, or one died (killed, crashed)
    /// and left its control socket, pid file and sandbox, which only <c>down</c> (or the next <c>up</c>) removes. Each
    /// names the command to run next; the verbs print it after <c>cloister VERB: </c> and exit with
    /// <see cref="CliApplication.NotRunningExitCode"/>.
    /// </summary>
    public static string NotRunning(StatePaths state) => HostLeft(state) switch
    {
        null => $"no stacks are running in {state.Root}; start them with ./cloister up.",
        true => $"the stack host of {state.Root} is no longer running (it crashed or was killed) and left its sandbox behind; ./cloister down removes it.",

        // Alive and not answering: between writing its pid and opening its control socket.
        false => ComingUp(state),
    };

    /// <summary>Null when no host left its files; else whether the host that wrote them is gone.</summary>
    private static bool? HostLeft(StatePaths state)
    {
        var pidPath = HostRunner.PidPath(state);
        if (!File.Exists(state.ControlSocket) && !File.Exists(pidPath))
        {
            return null;
        }

        try
        {
            return !(int.TryParse(File.ReadAllText(pidPath), System.Globalization.CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}"));
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The message for verbs that need ready stacks while the host is still bringing them up.</summary>
    public static string ComingUp(StatePaths state) => $"the stacks in {state.Root} are still coming up; wait for ./cloister up to say ready.";
}
