using System.Collections.Immutable;
using Cloister.Network.Realization;
using Cloister.Network.Topology;
using Cloister.Shared.Processes;

namespace Cloister.Network.Runtime;

/// <summary>
/// The command line that runs a program as if on a host: a private mount and UTS namespace where the host's
/// resolv.conf, hosts and hostname are bound over the machine's, then <c>nsenter</c> into the host's network
/// namespace, where a sysfs of that namespace is mounted over <c>/sys</c> (as <c>ip netns exec</c> does), so that
/// <c>/sys/class/net</c> lists the host's interfaces rather than the machine's; a refused mount leaves the machine's.
/// On an EC2 instance it first enters the namespaces and root of the instance's init (<see cref="InstanceInit"/>): its
/// PID namespace, so the program sees, signals and leaves its processes among the instance's only, its mount namespace
/// and its root, the instance's own file system whose <c>/proc</c> is that PID namespace's; the caller's working
/// directory is kept by its path, when the instance has it, else it is <c>/</c>. <c>nsenter</c> stays outside as the
/// program's parent, passing on its exit status, in the instance's network namespace (so teardown finds it there). In
/// rootless mode it first enters the owner's user and mount namespaces, where the init's PID is the one the sandbox
/// recorded.
/// </summary>
public static class HostCommand
{
    // The wrapper finds its own tools on a fixed PATH and gives the program the PATH it was started with (a Lambda
    // function may set its own, which need not hold /bin); an unset PATH stays unset.
    private const string ToolPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // The caller's working directory, by its path: entering the instance's root leaves the directory itself behind.
    private const string WorkingDirectoryVariable = "CLOISTER_EXEC_WD";

    private const string Enter = WorkingDirectoryVariable + "=$PWD; export " + WorkingDirectoryVariable + "; exec \"$@\"";

    private const string Script =
        "if [ \"${" + WorkingDirectoryVariable + "+set}\" ]; then cd -- \"$" + WorkingDirectoryVariable + "\" 2>/dev/null || cd /; unset " + WorkingDirectoryVariable + "; fi; " +
        "if [ \"${PATH+set}\" ]; then p=\"x$PATH\"; else p=; fi; PATH=" + ToolPath + "; export PATH; " +
        "mount --bind \"$1\" /etc/resolv.conf && mount --bind \"$2\" /etc/hosts && mount --bind \"$3\" /etc/hostname && " +
        "hostname \"$4\" && ns=\"$5\" && shift 5 && exec nsenter --net=\"$ns\" -- /bin/sh -c " +
        "'mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys 2>/dev/null; " +
        "if [ -n \"$1\" ]; then PATH=\"${1#x}\"; export PATH; else unset PATH; fi; shift; exec \"$@\"' cloister-exec \"$p\" \"$@\"";

    // nsenter runs it with the program's PATH, which need not hold the tools.
    private static readonly string Unshare = ExecutableSearch.Find("unshare", ToolPath) ?? "unshare";

    // The same for the shell that notes the working directory before entering an instance.
    private static readonly string Nsenter = ExecutableSearch.Find("nsenter", ToolPath) ?? "nsenter";

    /// <summary>The argv (program first) that runs <paramref name="command"/> on <paramref name="host"/>.</summary>
    public static ImmutableArray<string> For(SandboxDescription sandbox, HostPlan host, IEnumerable<string> command)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(host);
        var files = Path.Combine(sandbox.HostFilesDirectory, host.Namespace);
        var argv = ImmutableArray.CreateBuilder<string>();
        var init = InitOf(sandbox, host);

        // An instance's root: a shell notes the caller's working directory by its path first (entering a mount
        // namespace resets it to /, and -w leaves the command in the init's, /), and the wrapper goes back to it inside.
        if (init is not null)
        {
            argv.AddRange("/bin/sh", "-c", Enter, "cloister-enter");
        }

        // From outside the sandbox's user namespace (a CLI run by the user), enter it through its owner first.
        if (sandbox.Rootless && !Sandbox.IsRootless)
        {
            argv.AddRange(Nsenter, "-t", sandbox.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "-m", "--");
        }

        // An instance's own processes and file system.
        if (init is { } pid)
        {
            argv.AddRange(Nsenter, "-t", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", "-p", "-m", "-r", "-w", "--");
        }

        argv.AddRange(Unshare, "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", "-c", Script, "cloister-exec");
        argv.AddRange(
            Path.Combine(files, "resolv.conf"),
            Path.Combine(files, "hosts"),
            Path.Combine(files, "hostname"),
            host.Hostname,
            Path.Combine("/run/netns", host.Namespace));
        argv.AddRange(command);
        return argv.ToImmutable();
    }

    /// <summary>
    /// Whether <see cref="For"/> enters an instance's PID namespace on <paramref name="host"/>: then the started process
    /// is <c>nsenter</c>, and the command runs in the one child it forks; else the command is the started process.
    /// </summary>
    public static bool EntersInstance(SandboxDescription sandbox, HostPlan host)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(host);
        return InitOf(sandbox, host) is not null;
    }

    /// <summary>The PID of the instance's init on <paramref name="host"/>; null when the host is no instance.</summary>
    private static int? InitOf(SandboxDescription sandbox, HostPlan host) =>
        InstanceInit.ReadPid(Path.Combine(sandbox.HostFilesDirectory, host.Namespace, InstanceInit.PidFileName));

    /// <summary>
    /// A start description that runs <paramref name="command"/> on <paramref name="host"/> with the host's environment;
    /// the caller sets redirection. Its exit code and output are the command's.
    /// </summary>
    public static System.Diagnostics.ProcessStartInfo StartInfo(SandboxDescription sandbox, HostPlan host, IEnumerable<string> command)
    {
        var argv = For(sandbox, host, command);
        var start = new System.Diagnostics.ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment(sandbox))
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The environment a process on a host gets: the sandbox CA bundle for every common TLS stack.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment(SandboxDescription sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        if (sandbox.CaBundlePath is { } bundle)
        {
            foreach (var name in new[] { "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE" })
            {
                yield return KeyValuePair.Create(name, bundle);
            }
        }

        yield return KeyValuePair.Create("AWS_REGION", sandbox.Region);

        // The AWS CLI v1 (often first on PATH on Debian) reads only AWS_DEFAULT_REGION.
        yield return KeyValuePair.Create("AWS_DEFAULT_REGION", sandbox.Region);
    }
}
