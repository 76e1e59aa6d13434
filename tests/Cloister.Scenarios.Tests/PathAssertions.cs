using System.Text.RegularExpressions;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// <c>cloister path</c> as a user reads it: the verdict line, the forward hops numbered from 1 from the source host to
/// the destination's interface (through a load balancer, on to its target's) and, when blocked, the component that
/// blocks and why.
/// </summary>
internal static partial class PathAssertions
{
    /// <summary>
    /// Runs <c>cloister path --from <paramref name="from"/> --to <paramref name="to"/></c> and asserts a path: exit 0,
    /// "Path found: SOURCE-ID (ADDRESS) -> TARGET (ADDRESS) tcp/PORT" with the target's address one of
    /// <paramref name="destinations"/>, forward hops numbered 1, 2, ... from the source host through
    /// <paramref name="components"/> (each the start of "TYPE ID", in that order) to an inbound rule of
    /// <paramref name="inboundGroup"/> (a logical id, or an <c>sg-</c> id) and last "destination ADDRESS".
    /// </summary>
    public static async Task AssertPathFoundAsync(Cloister cli, string from, string to, IReadOnlyCollection<string> destinations, string inboundGroup, params string[] components)
    {
        var (hops, destination, shown) = await PathFoundAsync(cli, from, to, destinations, components);

        Assert.True(hops[^1] is { ComponentType: "AWS::EC2::NetworkInterface" } last && last.Detail == $"destination {destination}", shown);
        await AssertInboundRuleAsync(cli, hops[^2], inboundGroup, shown);
    }

    /// <summary>
    /// Like <see cref="AssertPathFoundAsync"/> to one of a load balancer's <paramref name="nodes"/>, and on to a target,
    /// as Reachability Analyzer explains it: an inbound rule of <paramref name="loadBalancerGroup"/> (none when null: the
    /// load balancer has no security group, and no stand-in group is named), the load balancer at that node, its
    /// listener, its target group, then an inbound rule of <paramref name="targetGroup"/> and the target's interface
    /// (last, or followed by its instance).
    /// </summary>
    public static async Task AssertPathThroughLoadBalancerAsync(
        Cloister cli, string from, string to, IReadOnlyCollection<string> nodes, string? loadBalancerGroup, string targetGroup, params string[] components)
    {
        var (hops, node, shown) = await PathFoundAsync(cli, from, to, nodes, components);

        var at = hops.FindIndex(h => h.ComponentType == "AWS::ElasticLoadBalancingV2::LoadBalancer" && h.Detail.Contains($"node {node} ", StringComparison.Ordinal));
        Assert.True(at > 0 && at + 2 < hops.Count, $"no load balancer hop at node {node}: {shown}");
        Assert.True(hops[at + 1].ComponentType == "AWS::ElasticLoadBalancingV2::Listener" && hops[at + 2].ComponentType == "AWS::ElasticLoadBalancingV2::TargetGroup", shown);
        if (loadBalancerGroup is null)
        {
            Assert.True(hops[at - 1].ComponentType != "AWS::EC2::SecurityGroup" && !shown.Contains("sg-elb-", StringComparison.Ordinal), shown);
        }
        else
        {
            await AssertInboundRuleAsync(cli, hops[at - 1], loadBalancerGroup, shown);
        }

        var eni = hops[^1].ComponentType == "AWS::EC2::Instance" ? hops.Count - 2 : hops.Count - 1;
        Assert.True(eni > at + 3 && hops[eni].ComponentType == "AWS::EC2::NetworkInterface", shown);
        await AssertInboundRuleAsync(cli, hops[eni - 1], targetGroup, shown);
    }

    /// <summary>
    /// Runs <c>cloister path</c> and asserts no path: exit 1, "No path: SOURCE-ID ...", and a line "blocked (forward) at
    /// <paramref name="component"/>...: <paramref name="code"/>" followed by an explanation that contains <paramref name="because"/>.
    /// </summary>
    public static async Task AssertBlockedAsync(Cloister cli, string from, string to, string component, string code, string because)
    {
        var path = await cli.RunAsync("path", "--from", from, "--to", to);
        var source = await HostIdAsync(cli, from);
        var shown = $"path --from {from} --to {to} (exit {path.ExitCode}):\n{path.Output}{path.Error}";

        Assert.True(path.ExitCode == 1, shown);
        Assert.True(path.Output.StartsWith($"No path: {source} (", StringComparison.Ordinal), shown);
        var lines = path.Output.Split('\n');
        var at = Array.FindIndex(lines, l => Blocked().Match(l) is { Success: true } m && m.Groups["component"].Value.StartsWith(component, StringComparison.Ordinal) && m.Groups["code"].Value == code);
        Assert.True(at >= 0 && at + 1 < lines.Length && lines[at + 1].Contains(because, StringComparison.Ordinal), $"no \"blocked (forward) at {component}...: {code}\" explained with \"{because}\": {shown}");
    }

    /// <summary>The physical id of the resource <paramref name="logicalId"/> of the running stacks, from <c>cloister status</c>.</summary>
    public static async Task<string> PhysicalIdAsync(Cloister cli, string logicalId) =>
        (await cli.StatusAsync()).GetProperty("Stacks").EnumerateArray()
            .SelectMany(s => s.GetProperty("Resources").EnumerateArray())
            .Single(r => r.GetProperty("LogicalResourceId").GetString() == logicalId)
            .GetProperty("PhysicalResourceId").GetString()!;

    /// <summary>The id <c>path</c> names a host by (<c>i-...</c>, <c>host-...</c>), from <c>cloister status</c>.</summary>
    private static async Task<string> HostIdAsync(Cloister cli, string name) =>
        (await cli.StatusAsync()).GetProperty("Hosts").EnumerateArray()
            .Single(h => h.GetProperty("Name").GetString() == name)
            .GetProperty("Id").GetString()!;

    /// <summary>Runs <c>path</c> and checks what every found path shows: the verdict, the numbering, the source and the <paramref name="components"/> in order.</summary>
    private static async Task<(List<PathHop> Hops, string Destination, string Shown)> PathFoundAsync(
        Cloister cli, string from, string to, IReadOnlyCollection<string> destinations, string[] components)
    {
        var path = await cli.RunAsync("path", "--from", from, "--to", to);
        var source = await HostIdAsync(cli, from);
        var shown = $"path --from {from} --to {to} (exit {path.ExitCode}):\n{path.Output}{path.Error}";

        Assert.True(path.ExitCode == 0, shown);
        var verdict = Verdict().Match(path.Output.Split('\n')[0]);
        Assert.True(verdict.Success && verdict.Groups["verdict"].Value == "Path found" && verdict.Groups["source"].Value == source, shown);
        Assert.True(verdict.Groups["target"].Value == to[..to.LastIndexOf(':')] && verdict.Groups["port"].Value == to[(to.LastIndexOf(':') + 1)..], shown);
        Assert.True(destinations.Contains(verdict.Groups["destination"].Value), $"{verdict.Groups["destination"].Value} is none of {string.Join(", ", destinations)}: {shown}");
        Assert.DoesNotContain("blocked", path.Output, StringComparison.Ordinal);
        var hops = ForwardHops(path.Output);
        Assert.True(hops.Count >= 3 && hops.Select(h => h.Sequence).SequenceEqual(Enumerable.Range(1, hops.Count)), shown);
        Assert.True(hops[0].ComponentId == source && hops[0].Detail == $"source {verdict.Groups["from"].Value}", shown);
        var next = 0;
        foreach (var component in components)
        {
            var at = hops.FindIndex(next, h => h.Component.StartsWith(component, StringComparison.Ordinal));
            Assert.True(at >= 0, $"no hop {component} after hop {next}: {shown}");
            next = at + 1;
        }

        return (hops, verdict.Groups["destination"].Value, shown);
    }

    /// <summary>Asserts <paramref name="hop"/> is an inbound rule of <paramref name="group"/> (a logical id, or an <c>sg-</c> id).</summary>
    private static async Task AssertInboundRuleAsync(Cloister cli, PathHop hop, string group, string shown)
    {
        var id = group.StartsWith("sg-", StringComparison.Ordinal) ? group : await PhysicalIdAsync(cli, group);
        Assert.True(hop.Component == $"AWS::EC2::SecurityGroup {id}" && hop.Detail.StartsWith("inbound rule ", StringComparison.Ordinal), shown);
    }

    private static List<PathHop> ForwardHops(string output) =>
        [.. output.Split('\n')
            .TakeWhile(l => l.Trim() != "return path:")
            .Select(l => Hop().Match(l))
            .Where(m => m.Success)
            .Select(m => new PathHop(int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["type"].Value, m.Groups["id"].Value, m.Groups["detail"].Value))];

    [GeneratedRegex(@"^(?<verdict>Path found|No path): (?<source>\S+) \((?<from>[0-9.]+)\) -> (?<target>\S+) \((?<destination>[0-9.]+)\) tcp/(?<port>\d+)$")]
    private static partial Regex Verdict();

    [GeneratedRegex(@"^\s*(?<n>\d+)\. (?<type>\S+) (?<id>\S+): (?<detail>.*)$")]
    private static partial Regex Hop();

    [GeneratedRegex(@"^\s*blocked \(forward\) at (?<component>.+): (?<code>[A-Z_]+)$")]
    private static partial Regex Blocked();
}
