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

    /// <summary>The running stacks' status; null when no host answers.</summary>
    public static async Task<StackStatus?> StatusAsync(StatePaths state, CancellationToken cancellationToken)
    {
        var response = await SendAsync(state, new ControlRequest("status"), QuickTimeout, cancellationToken).ConfigureAwait(false);
        return response is { Ok: true, Status: { } status } ? status : null;
    }

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

    /// <summary>Removes what a crashed host left: its namespaces (and the processes in them), its socket and files.</summary>
    public static async Task<bool> RemoveLeftoversAsync(StatePaths state)
    {
        var prefix = SandboxOptions.ForState(state).Prefix;
        var namespaces = await Sandbox.ListNamespacesAsync(prefix).ConfigureAwait(false);
        var found = namespaces.Count > 0 || File.Exists(state.ControlSocket) || File.Exists(HostRunner.PidPath(state));
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

    /// <summary>The message for verbs that need running stacks.</summary>
    public static string NotRunning(StatePaths state) => $"no stacks are running in {state.Root}; start them with cloister up.";
}
