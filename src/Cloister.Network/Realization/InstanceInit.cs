using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Cloister.Shared.Processes;

namespace Cloister.Network.Realization;

/// <summary>
/// The init of an EC2 instance: pid 1 of a PID namespace of the instance's own, with a mount namespace and a root file
/// system of its own. It is started in the instance's network namespace by
/// <c>unshare --pid --fork --kill-child --mount-proc</c>; before it becomes the loop that reaps orphans it builds the
/// instance's root (<see cref="RootSetup"/>) and switches into it. Everything that runs on the instance enters its
/// namespaces and root (<see cref="Runtime.HostCommand"/>), so <c>ps</c>, <c>kill</c> and <c>pkill</c> there see the
/// instance's processes only, and what it writes stays on the instance. Killing the <c>unshare</c> process kills the
/// init, and the kernel then kills every process of the namespace, as terminating the instance ends everything on it;
/// the instance's written files, held in its mount namespace only, go with it.
/// </summary>
internal static class InstanceInit
{
    /// <summary>The file, in the host's folder, holding the init's PID (as this process's <c>/proc</c> numbers it).</summary>
    public const string PidFileName = "init.pid";

    /// <summary>The name the init carries as its <c>$0</c>; <c>ps</c> on the instance shows it as pid 1.</summary>
    public const string Marker = "cloister-init";

    /// <summary>
    /// The empty folder, in the host's folder, on which the init mounts (in its own mount namespace only) the tmpfs
    /// that holds the instance's root and the upper layers of its overlays.
    /// </summary>
    public const string RootFolderName = "root";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    // pid 1 reaps whatever is orphaned onto it: dash's wait collects any child while its own sleep runs. Signals sent
    // from inside the namespace cannot end it (the kernel drops those pid 1 has no handler for), as on a machine.
    internal const string Loop = "trap 'exit 0' TERM; while :; do sleep 2147483647 & wait; done";

    // Builds the instance's root on a tmpfs mounted on $1, then execs the loop ($2, named $3) in it. Each top-level
    // folder of the machine becomes an overlay whose lower layer is that folder (read-only through it) and whose upper
    // layer is on the tmpfs, so what the instance writes is its own; a folder per overlay, because an overlay's lower
    // layer holds one file system (the machine's /tmp, /home or /run/netns mounted on their own would be missing from
    // an overlay of /) and because a user namespace may not take a folder with mounts under it as one (the rootless
    // sandbox's /, with /proc and /sys under it). A folder the kernel refuses stays the machine's (bound). Symbolic
    // links (Debian's /bin -> usr/bin) are copied; /proc is the instance's; /sys and /dev are the machine's, /dev/shm a
    // new tmpfs; /run/netns is bound over the overlay of /run (the instance's commands enter network namespaces by
    // those files, and the machine's later additions and removals reach it as the mount namespace is a slave). An
    // overlay's top folder shows its upper layer's owner and mode, so each upper layer takes its folder's (/tmp stays
    // 1777, /root 700; a user namespace cannot give an owner it does not map). The upper layers sit outside the new
    // root (pivot_root, the old root unmounted), unreachable from the instance.
    internal const string RootSetup =
        "set -e; mount -t tmpfs -o mode=755 cloister-root \"$1\"; cd \"$1\"; mkdir upper work root; mount --bind root root; " +
        "for p in /*; do e=${p#/}; " +
        "if [ -L \"$p\" ]; then ln -s \"$(readlink \"$p\")\" \"root/$e\"; continue; fi; " +
        "[ -d \"$p\" ] || continue; mkdir \"root/$e\"; " +
        "case $e in proc) mount -t proc proc root/proc;; sys|dev) mount --rbind \"$p\" \"root/$e\";; " +
        "*) mkdir \"upper/$e\" \"work/$e\"; chown --reference=\"$p\" \"upper/$e\" 2>/dev/null || :; chmod --reference=\"$p\" \"upper/$e\"; mount -t overlay -o \"lowerdir=$p,upperdir=upper/$e,workdir=work/$e\" cloister-root \"root/$e\" 2>/dev/null || mount --rbind \"$p\" \"root/$e\";; esac; done; " +
        "if [ -d root/dev/shm ]; then mount -t tmpfs -o mode=1777,nosuid,nodev shm root/dev/shm; fi; " +
        "if [ -d /run/netns ] && [ -d root/run/netns ]; then mount --rbind /run/netns root/run/netns; fi; " +
        "cd root; pivot_root . .; umount -l .; cd /; exec /bin/sh -c \"$2\" \"$3\"";

    /// <summary>
    /// Starts the init of the host whose network namespace is <paramref name="netnsPath"/>, waits until it runs in the
    /// instance's root with its <c>/proc</c> mounted, and writes its PID to <paramref name="pidFile"/> (the root is
    /// mounted on <see cref="RootFolderName"/> next to it). Returns the <c>unshare</c> process: killing it ends the
    /// instance's every process.
    /// </summary>
    public static async Task<Process> StartAsync(string netnsPath, string pidFile, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pidFile))!, RootFolderName);
        Directory.CreateDirectory(root);

        // A slave mount namespace: the machine's later mounts and unmounts (a deleted network namespace's file) reach
        // the instance; nothing mounted on the instance, its /proc first, reaches the machine.
        var start = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in (string[])["--net=" + netnsPath, "--", "unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave", "--", "/bin/sh", "-c", RootSetup, Marker, root, Loop, Marker])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new FabricException($"Could not start the init of {netnsPath}.");
        var errors = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            var pid = await WaitForInitAsync(process, errors, cancellationToken).ConfigureAwait(false);
            File.WriteAllText(pidFile, pid.ToString(CultureInfo.InvariantCulture) + "\n");
            return process;
        }
        catch
        {
            // Its descendants too: an init forked just before unshare died would never get unshare's kill signal.
            await ProcessEnding.KillAsync(process, ProcessEnding.DaemonWait).ConfigureAwait(false);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The init PID recorded in <paramref name="pidFile"/>, or null when the host has none.</summary>
    public static int? ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The forked child is the init once it has exec'd the loop: it builds and enters the instance's root before that
    // exec, so a command entering it earlier could see the machine's root and /proc, and unshare sets the child's kill-on-parent-death signal before it too,
    // so an init killed earlier could outlive its unshare, holding the pipes whose end the sandbox's teardown awaits.
    private static async Task<int> WaitForInitAsync(Process unshare, ConcurrentQueue<string> errors, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (unshare.HasExited)
            {
                // Waits for the error output's end too, so the message holds nsenter's or unshare's reason, but not
                // for ever: a process left behind may hold the pipe.
                using var outputEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                outputEnd.CancelAfter(ProcessEnding.DaemonWait);
                try
                {
                    await unshare.WaitForExitAsync(outputEnd.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The reason read so far.
                }

                throw new FabricException($"The instance init exited ({unshare.ExitCode}): {string.Join(' ', errors)}");
            }

            if (ProcChildren.FirstOf(unshare.Id) is { } child && IsInit(child))
            {
                return child;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        throw new FabricException($"The instance init did not start within {StartTimeout.TotalSeconds} s: {string.Join(' ', errors)}");
    }

    private static bool IsInit(int pid)
    {
        try
        {
            return IsInitCommandLine(File.ReadAllText($"/proc/{pid}/cmdline"));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a <c>/proc/PID/cmdline</c> is the init's loop itself. The forked child carries unshare's command line
    /// until it execs, then the root setup's, and both hold the marker and the loop too: only the loop's own is the
    /// init's, after unshare set its kill-on-parent-death signal and the setup switched into the instance's root.
    /// </summary>
    internal static bool IsInitCommandLine(string commandLine) =>
        commandLine.Split('\0', StringSplitOptions.RemoveEmptyEntries) is ["/bin/sh", "-c", Loop, Marker];
}
