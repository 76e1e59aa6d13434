using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Security;
using Cloister.Network.Topology;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The model's load balancers compiled once: listeners with their node addresses, rules in priority order and
/// certificates; target groups with targets resolved to addresses. Built whole and swapped whole on update.
/// </summary>
internal sealed class LoadBalancerCatalog
{
    private LoadBalancerCatalog(
        ImmutableArray<ListenerPlan> listeners,
        FrozenDictionary<string, TargetGroupPlan> targetGroups,
        FrozenDictionary<IPAddress, string> nodeZones,
        ImmutableArray<TargetHealthDescription> unused,
        ImmutableArray<string> problems)
    {
        Listeners = listeners;
        Unused = unused;
        NodeZones = nodeZones;
        TargetGroups = targetGroups;
        Problems = problems;
    }

    public ImmutableArray<ListenerPlan> Listeners { get; }

    public FrozenDictionary<string, TargetGroupPlan> TargetGroups { get; }

    /// <summary>The Availability Zone of each load balancer node (its subnet's).</summary>
    public FrozenDictionary<IPAddress, string> NodeZones { get; }

    /// <summary>The targets of the groups no listener uses: <c>unused</c>, <c>Target.NotInUse</c>, as ELB lists them (nothing checks them).</summary>
    public ImmutableArray<TargetHealthDescription> Unused { get; }

    /// <summary>What could not be compiled (unknown references, unreadable targets): reported, the rest still runs.</summary>
    public ImmutableArray<string> Problems { get; }

    public static LoadBalancerCatalog Build(CloudModel model, ImmutableArray<HostPlan> hosts, Func<Certificate, X509Certificate2> certificates)
    {
        var problems = new List<string>();
        var nodes = LoadBalancerNodes.ByArn(model, hosts);
        var instances = hosts.Where(h => h.Kind == HostKind.Instance).ToDictionary(h => h.Id, h => h.Address, StringComparer.Ordinal);
        var certificatesById = model.Certificates.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var balancers = model.LoadBalancers.ToDictionary(b => b.Id, StringComparer.Ordinal);

        var listeners = ImmutableArray.CreateBuilder<ListenerPlan>();
        var sourceOf = new Dictionary<string, (ImmutableArray<IPAddress> Nodes, LoadBalancer Balancer)>(StringComparer.Ordinal);
        foreach (var listener in model.Listeners)
        {
            if (!balancers.TryGetValue(listener.LoadBalancerId, out var balancer))
            {
                problems.Add($"Listener {listener.LogicalId}: load balancer '{listener.LoadBalancerId}' is not in the model.");
                continue;
            }

            if (!Runs(balancer.Type, listener.Protocol))
            {
                problems.Add($"Listener {listener.LogicalId}: a {balancer.Type} load balancer has no {listener.Protocol} listeners (Cloister runs {string.Join(", ", ListenerProtocols(balancer.Type))}).");
                continue;
            }

            var rules = model.ListenerRules
                .Where(r => r.ListenerId == listener.Id)
                .OrderBy(r => r.Priority)
                .Select(r => new CompiledRule(r.Priority, r.Conditions, r.Action))
                .ToImmutableArray();
            if (balancer.Type == LoadBalancerType.Network && rules.Length > 0)
            {
                problems.Add($"Listener {listener.LogicalId}: network load balancers have no listener rules; only the default action applies.");
                rules = [];
            }

            var listenerCertificates = ImmutableArray.CreateBuilder<ListenerCertificate>();
            foreach (var arn in listener.CertificateArns)
            {
                if (certificatesById.TryGetValue(arn, out var certificate))
                {
                    listenerCertificates.Add(new ListenerCertificate([certificate.DomainName, .. certificate.SubjectAlternativeNames], certificates(certificate)));
                }
                else
                {
                    problems.Add($"Listener {listener.LogicalId}: certificate '{arn}' is not an ACM certificate of the model.");
                }
            }

            var nodeAddresses = nodes[balancer.Id];
            listeners.Add(new ListenerPlan(balancer, listener, nodeAddresses, rules, listenerCertificates.ToImmutable()));
            foreach (var groupId in ForwardedGroups(rules, listener))
            {
                if (!nodeAddresses.IsDefaultOrEmpty)
                {
                    sourceOf.TryAdd(groupId, (nodeAddresses, balancer));
                }
            }
        }

        var groups = new Dictionary<string, TargetGroupPlan>(StringComparer.Ordinal);
        var unused = ImmutableArray.CreateBuilder<TargetHealthDescription>();
        foreach (var group in model.TargetGroups)
        {
            // A target group no listener uses is not health-checked by anyone: ELB lists its targets unused.
            if (!sourceOf.TryGetValue(group.Id, out var source))
            {
                unused.AddRange(group.Targets.Select(t => Resolve(group, t, instances)).OfType<IPEndPoint>()
                    .Select(t => new TargetHealthDescription(group.Id, t.ToString(), TargetHealthState.Unused, "Target.NotInUse")));
                continue;
            }

            var enabled = TargetZones.Enabled(model, source.Balancer);
            var targets = ImmutableArray.CreateBuilder<IPEndPoint>();
            var zones = ImmutableArray.CreateBuilder<string?>();
            var inUse = ImmutableArray.CreateBuilder<bool>();
            foreach (var target in group.Targets)
            {
                if (Resolve(group, target, instances) is { } endpoint)
                {
                    var zone = TargetZones.Of(model, group, source.Balancer, endpoint.Address.ToString());
                    targets.Add(endpoint);
                    zones.Add(zone);
                    inUse.Add(TargetZones.InUse(zone, enabled));
                }
                else
                {
                    problems.Add($"Target group {group.LogicalId}: target '{target}' is neither an instance of the model nor an IPv4 address.");
                }
            }

            var checkPort = group.HealthCheck.Port == "traffic-port" ? (int?)null
                : int.TryParse(group.HealthCheck.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
            var groupProblems = new List<string>();
            var matcher = HealthMatcher.Parse(group.HealthCheck.Matcher, groupProblems);
            problems.AddRange(groupProblems.Select(p => $"Target group {group.LogicalId}: {p}."));
            groups[group.Id] = new TargetGroupPlan(group, targets.ToImmutable(), source.Nodes[0], source.Nodes, checkPort, matcher, zones.ToImmutable(), inUse.ToImmutable());
        }

        foreach (var listener in listeners)
        {
            foreach (var groupId in ForwardedGroups(listener.Rules, listener.Listener).Where(g => !groups.ContainsKey(g)))
            {
                problems.Add($"Listener {listener.Listener.LogicalId}: target group '{groupId}' is not in the model.");
            }
        }

        var subnetZones = model.Subnets.ToDictionary(s => s.Id, s => s.AvailabilityZone, StringComparer.Ordinal);
        var nodeZones = hosts
            .Where(h => h.Kind == HostKind.LoadBalancerNode && h.SubnetId is not null && subnetZones.ContainsKey(h.SubnetId))
            .ToFrozenDictionary(h => IPAddress.Parse(h.Address), h => subnetZones[h.SubnetId!]);
        return new LoadBalancerCatalog(listeners.ToImmutable(), groups.ToFrozenDictionary(StringComparer.Ordinal), nodeZones, unused.ToImmutable(), [.. problems]);
    }

    /// <summary>Whether a load balancer of <paramref name="type"/> opens a listener of <paramref name="protocol"/> (the others are reported, not run).</summary>
    internal static bool Runs(LoadBalancerType type, string protocol) => ListenerProtocols(type).Contains(protocol, StringComparer.Ordinal);

    private static string[] ListenerProtocols(LoadBalancerType type) => type == LoadBalancerType.Network ? ["TCP", "TLS"] : ["HTTP", "HTTPS"];

    /// <summary>
    /// The target group a network load balancer listener sends to: its forward's one group, whatever its weight (the
    /// model validator refuses more than one; a network load balancer never answers a connection itself).
    /// </summary>
    internal static string? NetworkTargetGroup(Listener listener) =>
        listener.DefaultAction is ForwardAction { TargetGroups: [var group, ..] } ? group.TargetGroupId : null;

    /// <summary>
    /// A target's address and port: an instance's private address (<paramref name="instances"/> by id) or the IP target,
    /// with its own port or the group's; null when it is neither.
    /// </summary>
    internal static IPEndPoint? Resolve(TargetGroup group, string target, IReadOnlyDictionary<string, string> instances)
    {
        var id = target;
        var port = group.Port;
        var colon = target.LastIndexOf(':');
        if (colon > 0 && int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var explicitPort))
        {
            id = target[..colon];
            port = explicitPort;
        }

        if (group.TargetType == "instance")
        {
            return instances.TryGetValue(id, out var address) ? new IPEndPoint(IPAddress.Parse(address), port) : null;
        }

        return IPAddress.TryParse(id, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? new IPEndPoint(ip, port) : null;
    }

    /// <summary>
    /// The target groups a listener forwards to, by its rules and its default action, weight 0 or not (fixed
    /// responses and redirects forward nowhere).
    /// </summary>
    private static IEnumerable<string> ForwardedGroups(IEnumerable<CompiledRule> rules, Listener listener) =>
        rules.Select(r => r.Action).Append(listener.DefaultAction).OfType<ForwardAction>()
            .SelectMany(f => f.TargetGroups).Select(g => g.TargetGroupId).Distinct(StringComparer.Ordinal);
}
