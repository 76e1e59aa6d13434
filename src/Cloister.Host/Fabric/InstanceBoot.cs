using System.Collections.Immutable;
using System.Diagnostics;
using Cloister.Host.Fabric.CloudInit;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Host.Fabric;

/// <summary>
/// Runs each instance's user data once, as cloud-init does at first boot: as root on the instance's host (its
/// network namespace, host name, resolv.conf and CA bundle), from <c>/</c>, standard input from <c>/dev/null</c>,
/// standard output and error appended to <c>logs/instances/{instance-id}.log</c> (cloud-init-output.log). The
/// script is not waited for; what it leaves running are the instance's services, stopped (process group) in
/// reverse order on dispose.
/// </summary>
internal sealed class InstanceBoot : IAsyncDisposable
{
    // cloud-init runs scripts with a minimal environment; Debian's PATH and locale (there is no Amazon Linux here).
    private static readonly ImmutableArray<KeyValuePair<string, string>> BaseEnvironment =
    [
        KeyValuePair.Create("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        KeyValuePair.Create("HOME", "/root"),
        KeyValuePair.Create("LANG", "C.UTF-8"),
    ];

    // Applied before exec, so every later output (and an exec failure, such as a missing interpreter) lands in the log.
    private const string Redirect = "log=\"$1\"; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    private readonly List<BootedInstance> _instances = [];

    private InstanceBoot()
    {
    }

    /// <summary>The scripts started, in start order.</summary>
    public IReadOnlyList<BootedInstance> Instances => _instances;

    /// <summary>The instances whose user data was not run, each with the reason, and what of a cloud-config is not applied.</summary>
    public ImmutableArray<string> Skipped { get; private init; } = [];

    /// <summary>The log file of <paramref name="instanceId"/>'s user data.</summary>
    public static string LogPath(StatePaths state, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Path.Combine(state.Logs, "instances", instanceId + ".log");
    }

    /// <summary>Starts the user data of every instance of <paramref name="instances"/> that has a script.</summary>
    public static InstanceBoot Start(Sandbox sandbox, IEnumerable<Instance> instances, StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(state);
        var skipped = ImmutableArray.CreateBuilder<string>();
        var started = new List<BootedInstance>();
        try
        {
            foreach (var instance in instances.Where(i => !string.IsNullOrEmpty(i.UserData)))
            {
                var script = UserDataScript.Of(instance.UserData!);
                if (!script.Runs)
                {
                    skipped.Add($"{instance.LogicalId} ({instance.Id}): {script.Reason}");
                    continue;
                }

                var host = sandbox.Hosts.FirstOrDefault(h => h.Kind == HostKind.Instance && h.Id == instance.Id)
                    ?? throw new InvalidOperationException($"The sandbox has no host for instance {instance.LogicalId} ({instance.Id}).");
                started.Add(Boot(sandbox.Description, host, instance, script, state, skipped));
            }
        }
        catch
        {
            foreach (var booted in started)
            {
                booted.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        var boot = new InstanceBoot { Skipped = skipped.ToImmutable() };
        boot._instances.AddRange(started);
        return boot;
    }

    /// <summary>Stops every instance's processes, the last started first.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _instances.Count - 1; i >= 0; i--)
        {
            await _instances[i].DisposeAsync().ConfigureAwait(false);
        }

        _instances.Clear();
    }

    private static BootedInstance Boot(SandboxDescription sandbox, HostPlan host, Instance instance, UserDataScript script, StatePaths state, ImmutableArray<string>.Builder warnings)
    {
        // Where cloud-init keeps the part it runs (/var/lib/cloud/instance/scripts/part-001), executable so the
        // kernel reads the shebang.
        var folder = Path.Combine(state.Root, "instances", instance.Id);
        Directory.CreateDirectory(folder);
        var scriptPath = Path.Combine(folder, "user-data");
        File.WriteAllText(scriptPath, instance.UserData!.TrimStart('\uFEFF'));
        File.SetUnixFileMode(scriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!script.IsScript)
        {
            scriptPath = CloudInitBoot.Prepare(script.Parts, instance.Id, folder, out var notes);
            warnings.AddRange(notes.Select(n => $"{instance.LogicalId} ({instance.Id}): {n}"));
        }

        var logPath = LogPath(state, instance.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);

        // The redirect wraps the whole host command, so the fabric's own errors (a failed mount, say) land in the log
        // too, and nothing reaches the host's standard output, which is the CLI's progress channel.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in (string[])["-c", Redirect, "cloud-init", logPath, .. HostCommand.For(sandbox, host, [scriptPath])])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in BaseEnvironment.Concat(HostCommand.Environment(sandbox)))
        {
            start.Environment[name] = value;
        }

        return BootedInstance.Start(instance.Id, instance.LogicalId, logPath, start);
    }
}
