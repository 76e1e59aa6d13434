using System.Collections.Frozen;
using System.Globalization;
using Cloister.Model.LoadBalancing;

namespace Cloister.Templates.Mapping;

/// <summary>
/// A target group's <c>TargetGroupAttributes</c> (a list of <c>Key</c>/<c>Value</c> pairs, as ModifyTargetGroupAttributes
/// takes them): the keys Cloister runs become <see cref="TargetGroupAttributes"/>; a key ELB knows and Cloister does not
/// run is accepted with a warning; any other key, and a value ELB would refuse, is a problem naming the pair.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string AttributesProperty = "TargetGroupAttributes";

    /// <summary>The target group attribute keys ELB documents that Cloister does not run.</summary>
    private static readonly FrozenSet<string> UnrunTargetGroupAttributes = new[]
    {
        "stickiness.enabled", "stickiness.type", "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.cookie_name",
        "stickiness.app_cookie.duration_seconds", "load_balancing.cross_zone.enabled", "load_balancing.algorithm.type",
        "load_balancing.algorithm.anomaly_mitigation", "slow_start.duration_seconds", "lambda.multi_value_headers.enabled",
        "proxy_protocol_v2.enabled", "target_health_state.unhealthy.connection_termination.enabled",
        "target_health_state.unhealthy.draining_interval_seconds", "target_failover.on_deregistration", "target_failover.on_unhealthy",
        "target_group_health.dns_failover.minimum_healthy_targets.count", "target_group_health.dns_failover.minimum_healthy_targets.percentage",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static TargetGroupAttributes TargetGroupAttributesOf(PropertyReader r)
    {
        var attributes = TargetGroupAttributes.Default;
        foreach (var (pair, i) in r.Maps(AttributesProperty).Select((p, i) => (p, i)))
        {
            var path = $"{AttributesProperty}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var key = r.String(pair, "Key", path + ".Key", required: true);
            var value = r.String(pair, "Value", path + ".Value", required: true);
            if (key is null || value is null)
            {
                continue;
            }

            var valuePath = path + ".Value";
            switch (key)
            {
                case TargetGroupAttributes.PreserveClientIpKey:
                    attributes = attributes with { PreserveClientIp = AttributeBool(r, key, value, valuePath) ?? attributes.PreserveClientIp };
                    break;
                case TargetGroupAttributes.TerminateOnDeregistrationKey:
                    attributes = attributes with { TerminateOnDeregistration = AttributeBool(r, key, value, valuePath) ?? attributes.TerminateOnDeregistration };
                    break;
                case TargetGroupAttributes.DeregistrationDelayKey:
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= TargetGroupAttributes.MaxDeregistrationDelaySeconds)
                    {
                        attributes = attributes with { DeregistrationDelaySeconds = seconds };
                    }
                    else
                    {
                        r.Problem(valuePath, $"Target group attribute '{key}' must be an integer from 0 to {TargetGroupAttributes.MaxDeregistrationDelaySeconds.ToString(CultureInfo.InvariantCulture)} seconds, not '{value}'.");
                    }

                    break;
                case var other when UnrunTargetGroupAttributes.Contains(other):
                    r.WarningAt(pair, path + ".Key", $"Target group attribute '{other}' is accepted but not run by Cloister.");
                    break;
                default:
                    r.Problem(path + ".Key", $"Target group attribute key '{key}' is not recognized.");
                    break;
            }
        }

        return attributes;
    }

    /// <summary>ELB takes <c>true</c> or <c>false</c>, as written.</summary>
    private static bool? AttributeBool(PropertyReader r, string key, string value, string path)
    {
        switch (value)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                r.Problem(path, $"Target group attribute '{key}' must be 'true' or 'false', not '{value}'.");
                return null;
        }
    }
}
