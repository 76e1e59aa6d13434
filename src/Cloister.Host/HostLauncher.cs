using System.Collections.Immutable;
using System.Diagnostics;
using Cloister.Model;
using Cloister.Network;

namespace Cloister.Host;

/// <summary>
/// Starts the stack host process so that it lives inside the sandbox before it opens any socket: in its own new
/// network namespace holding only loopback (with <c>unshare --net</c> as root, or the rootless user namespace
/// otherwise), in a session of its own so that it outlives <c>up --detach</c>. Its standard output carries the
/// progress events; its standard error goes to <c>logs/host.log</c>.
/// </summary>
public static class HostLauncher
{
    private const string Inner = "ip link set lo up && exec \"$@\" 2>>\"$CLOISTER_HOST_LOG\" </dev/null";

    /// <summary>The start information for the host: <paramref name="program"/> (the cloister command's argv prefix) with <c>__host</c>.</summary>
    public static ProcessStartInfo StartInfo(StatePaths state, IReadOnlyList<string> program)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(program);
        ImmutableArray<string> host = ["/bin/sh", "-c", Inner, "cloister-host", .. program, "__host"];
        ImmutableArray<string> argv = RootlessSandbox.IsNeeded
            ? ["setsid", .. RootlessSandbox.Argv(host)]
            : ["setsid", "unshare", "--net", "--", .. host];
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(state.Logs);
        start.Environment["CLOISTER_HOME"] = state.Root;
        start.Environment["CLOISTER_HOST_LOG"] = Path.Combine(state.Logs, "host.log");

        // Socket completions run on the socket engine's thread instead of hopping through the thread pool: with the
        // gateway's inline Kestrel scheduling, measured to cut its CPU per HTTPS request on 2 cores (docs/PERFORMANCE.md,
        // Gateway). Safe only while no code reached from a socket completion blocks; everything in the host awaits.
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";

        // Idle thread-pool workers go to sleep at once instead of spinning for more work: the host shares the cores with
        // every function process of the stack, and what a spinning worker burns they do not get. Measured end to end
        // (docs/PERFORMANCE.md, "End to end", round 4): 20-30 % less host CPU per claim creation, about 20 % more creates/s.
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        return start;
    }

    /// <summary>
    /// The argv prefix that runs this cloister command: the running executable when it is the cloister apphost,
    /// else the apphost or assembly next to <paramref name="assemblyFolder"/> (tests run the CLI in process).
    /// </summary>
    public static ImmutableArray<string> CloisterProgram(string assemblyFolder)
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileName(current) == "cloister")
        {
            return [current];
        }

        var apphost = Path.Combine(assemblyFolder, "cloister");
        return File.Exists(apphost) ? [apphost] : ["dotnet", Path.Combine(assemblyFolder, "cloister.dll")];
    }
}
