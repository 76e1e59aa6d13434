using System.Diagnostics.CodeAnalysis;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Commands;

/// <summary>Finds the running sandbox and a host in it for <c>exec</c> and <c>path</c>, explaining what is missing.</summary>
internal static class SandboxLookup
{
    /// <summary>What <c>--from</c> of <c>exec</c> and <c>path</c> takes (<see cref="HostPlan.IsNamedBy"/>).</summary>
    public const string HostDescription =
        "The host: logical id, Name tag, id, address or host name of an instance, an on-premises host or any other host of the sandbox; or a function's name (its VPC network interface, or for a function outside a VPC the place all such functions send from).";

    /// <summary>What <c>exec</c> and <c>path</c> say when <c>--from</c> is missing.</summary>
    public const string FromRequired = "--from is required: a host's logical id, Name tag, id or address, or a function's name.";

    /// <summary>
    /// Reads the sandbox description and finds <paramref name="name"/> in it; else writes why on <paramref name="error"/>
    /// with the verb's <paramref name="exitCode"/>: <see cref="CliApplication.NotRunningExitCode"/> when no sandbox runs
    /// (the message of every verb that needs running stacks), <see cref="CliApplication.BadArgumentsExitCode"/> for an
    /// unknown host.
    /// </summary>
    public static bool TryFindHost(StatePaths state, string verb, string name, TextWriter error, out int exitCode, [NotNullWhen(true)] out SandboxDescription? sandbox, [NotNullWhen(true)] out HostPlan? host)
    {
        host = null;
        sandbox = RuntimeState.ReadDescription(state.Runtime);
        if (sandbox is null)
        {
            error.WriteLine($"cloister {verb}: {StackChannel.NotRunning(state)}");
            exitCode = CliApplication.NotRunningExitCode;
            return false;
        }

        exitCode = TryFindHost(sandbox, name, error, out host) ? 0 : CliApplication.BadArgumentsExitCode;
        return host is not null;
    }

    /// <summary>
    /// Finds <paramref name="name"/> in <paramref name="sandbox"/>; when it is no host, lists on <paramref name="error"/>
    /// every name that is one, and when it names hosts of more than one network (an address given to a host in each of two
    /// unpeered VPCs, a logical id in two stacks), lists those hosts by id rather than take the first.
    /// </summary>
    public static bool TryFindHost(SandboxDescription sandbox, string name, TextWriter error, [NotNullWhen(true)] out HostPlan? host)
    {
        // Every host the name finds, in the description's order: the first is SandboxDescription.FindHost's.
        var named = sandbox.Hosts.Where(h => h.IsNamedBy(name)).ToList();
        host = named.FirstOrDefault();
        if (named.Select(NetworkOf).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            host = null;
            error.WriteLine($"'{name}' names hosts in more than one network. Give the one you mean by its id:");
            foreach (var each in named)
            {
                error.WriteLine($"  {each.Id} ({each.LogicalId}, {each.Address} in {NetworkOf(each)})");
            }

            return false;
        }

        if (host is null)
        {
            error.WriteLine($"No host '{name}' in the sandbox. Give one of these (or a host's id, address or host name):");
            foreach (var kind in sandbox.Hosts.GroupBy(h => h.Kind).OrderBy(g => g.Key))
            {
                var names = kind.SelectMany(Names).Distinct(StringComparer.Ordinal).ToList();
                if (names.Count > 0)
                {
                    error.WriteLine($"  {Label(kind.Key)}: {string.Join(", ", names)}");
                }
            }

            return false;
        }

        return true;
    }

    /// <summary>The VPC or on-premises network of <paramref name="host"/>; the place of functions outside a VPC is a network of its own.</summary>
    private static string NetworkOf(HostPlan host) => host.VpcId ?? host.OnPremisesNetworkId ?? host.Kind.ToString();

    private static string Label(HostKind kind) => kind switch
    {
        HostKind.Instance => "instances",
        HostKind.OnPremisesHost => "on-premises hosts",
        HostKind.OnPremisesDnsServer => "on-premises DNS servers",
        HostKind.EndpointInterface => "VPC endpoints' network interfaces",
        HostKind.ResolverEndpoint => "Resolver endpoints' addresses",
        HostKind.FunctionInterface => "functions' VPC network interfaces, by function",
        HostKind.PublicFunction => "functions outside a VPC",
        HostKind.LoadBalancerNode => "load balancer nodes",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The names that find <paramref name="host"/> (<see cref="HostPlan.IsNamedBy"/>) a person would type: its logical id
    /// with the Name tag where it differs; the functions that send from a function ENI or from the place of functions
    /// outside a VPC (all of those share the logical id "lambda").
    /// </summary>
    private static IEnumerable<string> Names(HostPlan host) => host.Kind switch
    {
        HostKind.FunctionInterface or HostKind.PublicFunction => host.FunctionNames,
        _ => [host.Name is { } tag && tag != host.LogicalId ? $"{host.LogicalId} ({tag})" : host.LogicalId],
    };
}
