using System.Globalization;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;

namespace Cloister.Model.Validation;

/// <summary>Elastic Load Balancing v2: what CreateLoadBalancer, CreateListener and CreateRule refuse (the checks of conditions and forwards in <see cref="ListenerChecks"/>).</summary>
public static partial class ModelValidator
{
    private static readonly string[] NetworkProtocols = ["TCP", "TLS", "UDP", "TCP_UDP"];
    private static readonly string[] ApplicationProtocols = ["HTTP", "HTTPS"];

    private static void CheckLoadBalancing(CloudModel model, Dictionary<string, Vpc> vpcs, Dictionary<string, Subnet> subnets, HashSet<string> groups, ProblemCollector problems)
    {
        var balancers = Index(model.LoadBalancers);
        var targetGroups = Index(model.TargetGroups);
        var listeners = Index(model.Listeners);
        var instances = model.Instances.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var balancer in model.LoadBalancers)
        {
            foreach (var subnetId in balancer.SubnetIds)
            {
                RequireReference(problems, subnets.ContainsKey(subnetId), balancer, "Subnets", subnetId);
            }

            foreach (var groupId in balancer.SecurityGroupIds)
            {
                RequireReference(problems, groups.Contains(groupId), balancer, "SecurityGroups", groupId);
            }

            var zones = balancer.SubnetIds.Where(subnets.ContainsKey).Select(id => subnets[id].AvailabilityZone).Distinct(StringComparer.Ordinal).Count();
            problems.Require(
                balancer.Type != LoadBalancerType.Application || zones >= 2,
                Name(balancer),
                "Subnets",
                "At least two subnets in two different Availability Zones must be specified.");
            problems.Require(balancer.SubnetIds.Length > 0, Name(balancer), "Subnets", "A load balancer needs at least one subnet.");
        }

        foreach (var group in model.TargetGroups)
        {
            if (!string.IsNullOrEmpty(group.VpcId))
            {
                RequireReference(problems, vpcs.ContainsKey(group.VpcId), group, "VpcId", group.VpcId);
            }

            problems.Require(group.TargetType is "instance" or "ip", Name(group), "TargetType", $"'{group.TargetType}' is not a target type Cloister runs (instance, ip).");
            CheckAttributes(problems, group);
            CheckPorts(problems, group);
            if (group.TargetType == "instance")
            {
                foreach (var target in group.Targets)
                {
                    var id = target.Split(':')[0];
                    RequireReference(problems, instances.Contains(id), group, "Targets", id);
                }
            }
        }

        foreach (var listener in model.Listeners)
        {
            // The API's own constraint (Port: 1 to 65535), in its standard words; port 0 would have bound any free port.
            problems.Require(
                listener.Port is >= 1 and <= 65535,
                Name(listener),
                "Port",
                $"1 validation error detected: Value '{listener.Port}' at 'port' failed to satisfy constraint: Member must have value {(listener.Port < 1 ? "greater than or equal to 1" : "less than or equal to 65535")}");
            if (!balancers.TryGetValue(listener.LoadBalancerId, out var balancer))
            {
                RequireReference(problems, false, listener, "LoadBalancerArn", listener.LoadBalancerId);
            }
            else
            {
                var allowed = balancer.Type == LoadBalancerType.Network ? NetworkProtocols : ApplicationProtocols;
                problems.Require(
                    allowed.Contains(listener.Protocol, StringComparer.Ordinal),
                    Name(listener),
                    "Protocol",
                    $"Listener protocol '{listener.Protocol}' must be one of '{string.Join(", ", allowed)}' for a {balancer.Type.ToString().ToLowerInvariant()} load balancer.");
            }

            if (listener.DefaultAction is RedirectAction redirect)
            {
                CheckRedirect(problems, listener, "DefaultActions", redirect, listener.Protocol);
            }

            if (listener.DefaultAction is ForwardAction forward)
            {
                CheckForward(problems, listener, "DefaultActions", forward, targetGroups);
                problems.Require(
                    balancer is not { Type: LoadBalancerType.Network } || forward.TargetGroups.Length <= 1,
                    Name(listener),
                    "DefaultActions.ForwardConfig.TargetGroups",
                    "A network load balancer listener forwards to one target group.");
            }
            else if (balancer is { Type: LoadBalancerType.Network })
            {
                problems.Add(Name(listener), "DefaultActions", "Fixed-response and redirect actions are for application load balancers; a network load balancer listener forwards.");
            }
        }

        foreach (var rule in model.ListenerRules)
        {
            if (!listeners.TryGetValue(rule.ListenerId, out var listener))
            {
                RequireReference(problems, false, rule, "ListenerArn", rule.ListenerId);
            }
            else if (balancers.TryGetValue(listener.LoadBalancerId, out var balancer) && balancer.Type == LoadBalancerType.Network)
            {
                problems.Add(Name(rule), "ListenerArn", "Network load balancer listeners have no rules.");
            }

            if (rule.Action is ForwardAction forward)
            {
                CheckForward(problems, rule, "Actions", forward, targetGroups);
            }
            else if (rule.Action is RedirectAction redirect)
            {
                CheckRedirect(problems, rule, "Actions", redirect, listener?.Protocol ?? "HTTP");
            }

            foreach (var (property, message) in ListenerChecks.Rule(rule.Conditions))
            {
                problems.Add(Name(rule), property, message);
            }

            for (var i = 0; i < rule.Conditions.Length; i++)
            {
                foreach (var (property, message) in ListenerChecks.Condition(rule.Conditions[i]))
                {
                    problems.Add(Name(rule), $"Conditions[{i}].{property}", message);
                }
            }
        }

        foreach (var clash in model.ListenerRules.GroupBy(r => (r.ListenerId, r.Priority)).Where(g => g.Count() > 1))
        {
            foreach (var rule in clash.Skip(1))
            {
                problems.Add(Name(rule), "Priority", $"Priority '{rule.Priority}' is currently in use by another rule of the listener.");
            }
        }
    }

    /// <summary>
    /// The ports a target group sends to and checks on: its <c>Port</c>, a target's own port and <c>HealthCheckPort</c>
    /// (<c>traffic-port</c> or a number) are each 1 to 65535, as ELB's API reference bounds them (a port out of range
    /// could not be connected to; a word in the health check port was taken as the traffic port).
    /// </summary>
    private static void CheckPorts(ProblemCollector problems, TargetGroup group)
    {
        static bool IsPort(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;

        problems.Require(group.Port is >= 1 and <= 65535, Name(group), "Port", $"'{group.Port}' is not a port (1 to 65535).");
        foreach (var target in group.Targets.Where(t => t.Contains(':', StringComparison.Ordinal)))
        {
            var port = target[(target.LastIndexOf(':') + 1)..];
            problems.Require(IsPort(port), Name(group), "Targets", $"Target '{target}': '{port}' is not a port (1 to 65535).");
        }

        problems.Require(
            group.HealthCheck.Port == "traffic-port" || IsPort(group.HealthCheck.Port),
            Name(group),
            "HealthCheckPort",
            $"'{group.HealthCheck.Port}' is not a health check port (traffic-port, or 1 to 65535).");
    }

    /// <summary>What ModifyTargetGroupAttributes refuses of the attributes Cloister runs.</summary>
    private static void CheckAttributes(ProblemCollector problems, TargetGroup group)
    {
        var attributes = group.Attributes;
        var network = NetworkProtocols.Contains(group.Protocol, StringComparer.Ordinal);
        problems.Require(
            attributes.DeregistrationDelaySeconds is >= 0 and <= TargetGroupAttributes.MaxDeregistrationDelaySeconds,
            Name(group),
            "TargetGroupAttributes." + TargetGroupAttributes.DeregistrationDelayKey,
            $"Target group attribute '{TargetGroupAttributes.DeregistrationDelayKey}' must be between 0 and {TargetGroupAttributes.MaxDeregistrationDelaySeconds} seconds, not {attributes.DeregistrationDelaySeconds}.");
        problems.Require(
            attributes.PreserveClientIp is null || network,
            Name(group),
            "TargetGroupAttributes." + TargetGroupAttributes.PreserveClientIpKey,
            $"Target group attribute '{TargetGroupAttributes.PreserveClientIpKey}' is only supported by network load balancer target groups (TCP, TLS, UDP, TCP_UDP), not {group.Protocol}.");
        problems.Require(
            attributes.PreserveClientIp is not false || group.Protocol is not ("UDP" or "TCP_UDP"),
            Name(group),
            "TargetGroupAttributes." + TargetGroupAttributes.PreserveClientIpKey,
            $"Client IP preservation cannot be disabled for {group.Protocol} target groups.");
        problems.Require(
            !attributes.TerminateOnDeregistration || network,
            Name(group),
            "TargetGroupAttributes." + TargetGroupAttributes.TerminateOnDeregistrationKey,
            $"Target group attribute '{TargetGroupAttributes.TerminateOnDeregistrationKey}' is only supported by network load balancer target groups (TCP, TLS, UDP, TCP_UDP), not {group.Protocol}.");
    }

    /// <summary>A listener's or rule's redirect: the keywords each component may reuse, the lengths, the path, loops (<see cref="ListenerChecks.Redirect"/>).</summary>
    private static void CheckRedirect(ProblemCollector problems, IResource owner, string property, RedirectAction redirect, string listenerProtocol)
    {
        foreach (var (path, message) in ListenerChecks.Redirect(redirect, listenerProtocol))
        {
            problems.Add(Name(owner), path.Length == 0 ? $"{property}.RedirectConfig" : $"{property}.RedirectConfig.{path}", message);
        }
    }

    /// <summary>A listener's or rule's forward: every target group exists, and ELB's limits on the groups and weights.</summary>
    private static void CheckForward(ProblemCollector problems, IResource owner, string property, ForwardAction forward, Dictionary<string, TargetGroup> targetGroups)
    {
        foreach (var group in forward.TargetGroups)
        {
            RequireReference(problems, targetGroups.ContainsKey(group.TargetGroupId), owner, property, group.TargetGroupId);
        }

        foreach (var (path, message) in ListenerChecks.Forward(forward))
        {
            problems.Add(Name(owner), $"{property}.ForwardConfig.{path}", message);
        }
    }
}
