using System.Diagnostics;
using System.Text;
using Cloister.Model.Network;
using Cloister.Network.Realization;
using Cloister.Network.Topology;

namespace Cloister.Network;

/// <summary>
/// Bring-up: one <c>ip -batch</c> for namespaces and links, then every namespace configured in parallel, then each
/// instance's init (its own PID namespace, <see cref="InstanceInit"/>).
/// </summary>
public sealed partial class Sandbox
{
    private const int Parallelism = 6;

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var batch = new StringBuilder();
        foreach (var ns in _plan.Namespaces)
        {
            batch.Append("netns add ").Append(ns.Name).Append('\n');
        }

        // Each pair is created straight inside its two namespaces: nothing ever appears in the caller's namespace.
        foreach (var link in _plan.Links)
        {
            batch.Append("link add ").Append(link.InterfaceA).Append(" netns ").Append(link.NamespaceA)
                .Append(" type veth peer name ").Append(link.InterfaceB).Append(" netns ").Append(link.NamespaceB).Append('\n');
        }

        await CommandRunner.RunCheckedAsync("ip", ["-batch", "-"], batch.ToString(), cancellationToken).ConfigureAwait(false);

        using var throttle = new SemaphoreSlim(Parallelism);
        await Task.WhenAll(_plan.Namespaces.Select(async ns =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await RunInNamespaceAsync(ns.Name, "/bin/sh", ["-s"], Script(ns), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);

        WriteHostFiles();
        var inits = _plan.Hosts
            .Where(h => h.Kind == HostKind.Instance)
            .Select(h => InstanceInit.StartAsync(LinuxNamespaces.PathOf(h.Namespace), Path.Combine(HostFilesDirectory, h.Namespace, InstanceInit.PidFileName), cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(inits).ConfigureAwait(false);
        }
        finally
        {
            // Those that started end with the sandbox, even when another failed.
            _daemons.AddRange(inits.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        foreach (var server in _plan.DnsServers)
        {
            StartDnsServer(server);
        }
    }

    private static string Script(NamespacePlan ns)
    {
        var script = new StringBuilder("set -e\n");
        foreach (var (key, value) in ns.Sysctls)
        {
            script.Append("for f in /proc/sys/").Append(key).Append("; do echo '").Append(value).Append("' > \"$f\"; done\n");
        }

        script.Append("ip -batch - <<'CLOISTER_IP'\n");
        foreach (var command in ns.IpCommands)
        {
            script.Append(command).Append('\n');
        }

        script.Append("CLOISTER_IP\n");
        if (ns.Nftables is not null)
        {
            script.Append("nft -f - <<'CLOISTER_NFT'\n").Append(ns.Nftables).Append("CLOISTER_NFT\n");
        }

        return script.ToString();
    }

    private static Task<string> RunInNamespaceAsync(string ns, string program, IEnumerable<string> arguments, string? input, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync("nsenter", ["--net=" + LinuxNamespaces.PathOf(ns), "--", program, .. arguments], input, cancellationToken);

    private void WriteHostFiles()
    {
        foreach (var host in _plan.Hosts)
        {
            var folder = Path.Combine(HostFilesDirectory, host.Namespace);
            Directory.CreateDirectory(folder);
            var search = host.VpcId is not null ? Ec2HostNames.Domain(_model.Account.Region) : "corp.internal";
            File.WriteAllText(Path.Combine(folder, "resolv.conf"), $"nameserver {host.DnsServer}\nsearch {search}\noptions timeout:2 attempts:2\n");
            var shortName = host.Hostname.Split('.')[0];
            File.WriteAllText(Path.Combine(folder, "hosts"), $"127.0.0.1 localhost\n{host.Address} {host.Hostname} {shortName}\n");
            File.WriteAllText(Path.Combine(folder, "hostname"), host.Hostname + "\n");

            // A previous run's init is gone; only this run's, started next, may be entered.
            File.Delete(Path.Combine(folder, InstanceInit.PidFileName));
        }
    }

    private void StartDnsServer(DnsServerPlan server)
    {
        var arguments = new List<string>
        {
            "--net=" + LinuxNamespaces.PathOf(server.Namespace), "--", "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
            "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=" + server.Address,
            "--user=root", "--pid-file=", "--log-facility=" + Path.Combine(HostFilesDirectory, server.Namespace, "dnsmasq.log"),
        };
        foreach (var forwarder in server.Forwarders)
        {
            arguments.AddRange(forwarder.TargetIps.Select(ip => $"--server=/{forwarder.Domain.TrimEnd('.')}/{ip}"));
        }

        arguments.AddRange(server.HostRecords.Select(r => $"--host-record={r.Key},{r.Value}"));
        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new FabricException("Could not start dnsmasq.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Log.DnsServerOutput(_logger, server.Namespace, e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add(process);
    }
}
