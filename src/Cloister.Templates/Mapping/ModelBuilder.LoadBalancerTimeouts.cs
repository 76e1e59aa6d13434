using System.Globalization;
using Cloister.Model.LoadBalancing;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The timeouts a template sets for Elastic Load Balancing: a load balancer's <c>idle_timeout.timeout_seconds</c> (in
/// <c>LoadBalancerAttributes</c>; its other keys are left to ELB's defaults, as before) and a target group's
/// <c>HealthCheckTimeoutSeconds</c>, each refused where ELB refuses it.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const int MinHealthCheckTimeoutSeconds = 2;
    private const int MaxHealthCheckTimeoutSeconds = 120;

    private static int IdleTimeoutOf(PropertyReader r)
    {
        var seconds = LoadBalancer.DefaultIdleTimeoutSeconds;
        foreach (var (pair, i) in r.Maps("LoadBalancerAttributes").Select((p, i) => (p, i)))
        {
            var path = $"LoadBalancerAttributes[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (r.String(pair, "Key", path + ".Key", required: true) != LoadBalancer.IdleTimeoutKey || r.String(pair, "Value", path + ".Value", required: true) is not { } value)
            {
                continue;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= LoadBalancer.MaxIdleTimeoutSeconds)
            {
                seconds = parsed;
            }
            else
            {
                r.Problem(path + ".Value", $"Load balancer attribute '{LoadBalancer.IdleTimeoutKey}' must be an integer from 1 to {LoadBalancer.MaxIdleTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} seconds, not '{value}'.");
            }
        }

        return seconds;
    }

    /// <summary>The group's health check timeout, or null for ELB's default; 2 to 120 seconds and less than the interval.</summary>
    private static int? HealthCheckTimeoutOf(PropertyReader r, int intervalSeconds)
    {
        const string Property = "HealthCheckTimeoutSeconds";
        if (r.String(Property) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds is < MinHealthCheckTimeoutSeconds or > MaxHealthCheckTimeoutSeconds)
        {
            r.Problem(Property, $"'{text}' is not a health check timeout (from {MinHealthCheckTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} to {MaxHealthCheckTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} seconds).");
            return null;
        }

        if (seconds >= intervalSeconds)
        {
            r.Problem(Property, "Health check interval must be greater than the timeout.");
        }

        return seconds;
    }
}
