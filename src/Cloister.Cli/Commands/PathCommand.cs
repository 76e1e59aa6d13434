using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Cloister.Model;
using Cloister.Network.Addressing;
using Cloister.Network.Reachability;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister path --from HOST --to TARGET[:PORT] [--protocol tcp|udp] [--json]</c>: reachability over the model,
/// as VPC Reachability Analyzer reports it. Exit 0 when a path exists, 1 when none does, 2 for bad arguments.
/// </summary>
internal static class PathCommand
{
    /// <summary>What <c>path</c> takes, printed when its arguments are wrong.</summary>
    public const string Usage = "usage: cloister path --from HOST --to TARGET[:PORT] [--protocol tcp|udp] [--json]";

    private const int DefaultPort = 443;

    /// <summary>Creates the verb; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null)
    {
        state ??= () => StatePaths.FromEnvironment();
        var from = new Option<string?>("--from") { Description = "Required. " + SandboxLookup.HostDescription };
        var to = new Option<string?>("--to") { Description = "Required. TARGET[:PORT]: a host, an IP address or a DNS name (resolved as the source host would). Port 443 when omitted." };
        var protocol = new Option<string>("--protocol") { Description = "tcp or udp.", DefaultValueFactory = _ => "tcp" };
        var json = new Option<bool>("--json") { Description = "Print the analysis as JSON." };
        var verb = new Command("path", "Is there a network path from a host to a target? The hops, or the component that blocks it. Exit 0 path found, 1 none, 2 bad arguments.")
        {
            from, to, protocol, json,
        };
        verb.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var proto = parse.GetValue(protocol) ?? "tcp";
            var source = parse.GetValue(from);
            var target = parse.GetValue(to);
            if (Problem(source, target, proto, out var name, out var port) is { } problem)
            {
                error.WriteLine($"cloister path: {problem}");
                error.WriteLine(Usage);
                return CliApplication.BadArgumentsExitCode;
            }

            var paths = state();
            if (!SandboxLookup.TryFindHost(paths, "path", source!, error, out var exitCode, out var sandbox, out var host))
            {
                return exitCode;
            }

            var model = RuntimeState.ReadModel(paths.Runtime);
            var address = Resolve(sandbox, host, name);
            if (model is null || address is null)
            {
                // Both as the user typed them: the host's own names (a function's ENI is "lambda") would not be theirs.
                error.WriteLine(model is null
                    ? "cloister path: the sandbox's model file is missing."
                    : $"cloister path: --to '{target}': '{name}' is no host, address or name that --from '{source}' can resolve.");
                return 2;
            }

            var result = new PathAnalyzer(model, sandbox.Hosts).Analyze(host, address, port ?? DefaultPort, proto, name);
            output.Write(parse.GetValue(json) ? PathReport.Json(result) + "\n" : PathReport.Text(result));
            return result.NetworkPathFound ? 0 : 1;
        });
        return verb;
    }

    /// <summary>Which argument is wrong and why (the first found); null when they can be used, with TARGET split from its port.</summary>
    private static string? Problem(string? source, string? target, string protocol, out string name, out int? port)
    {
        name = string.Empty;
        port = null;
        if (string.IsNullOrEmpty(source))
        {
            return SandboxLookup.FromRequired;
        }

        if (string.IsNullOrEmpty(target))
        {
            return "--to is required: TARGET[:PORT], a host, an IP address or a DNS name.";
        }

        if (protocol is not ("tcp" or "udp"))
        {
            return $"--protocol '{protocol}': must be tcp or udp.";
        }

        if (!PathReport.TryParseTarget(target, out name, out port))
        {
            return name.Length == 0 ? $"--to '{target}': no target before the port." : $"--to '{target}': the port must be a number from 1 to 65535.";
        }

        return null;
    }

    /// <summary>
    /// What <c>cloister path --from HOST --to TARGET:PORT</c> would find, without printing it: the address TARGET
    /// resolves to on the host and whether a path reaches it; null when the host or the name is unknown.
    /// </summary>
    public static PathProbe? Probe(SandboxDescription sandbox, CloudModel model, string host, string target, int port)
    {
        if (sandbox.FindHost(host) is not { } source || Resolve(sandbox, source, target) is not { } address)
        {
            return null;
        }

        return new PathProbe(address, new PathAnalyzer(model, sandbox.Hosts).Analyze(source, address, port, "tcp", target).NetworkPathFound);
    }

    private static string? Resolve(SandboxDescription sandbox, HostPlan from, string name)
    {
        if (Ipv4Cidr.TryParseAddress(name, out _))
        {
            return name;
        }

        if (sandbox.FindHost(name) is { } host)
        {
            return host.Address;
        }

        // A DNS name: resolve it the way the source host would, through its own resolv.conf.
        var start = HostCommand.StartInfo(sandbox, from, ["getent", "ahostsv4", name]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var first = text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return process.ExitCode == 0 && first is not null && IPAddress.TryParse(first, out _) ? first : null;
    }
}
