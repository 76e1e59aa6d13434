using System.Globalization;
using Cloister.Model.LoadBalancing;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The timeouts a template sets for Elastic Load Balancing: a load balancer's <c>idle_timeout.timeout_seconds</c> and
/// <c>client_keep_alive.seconds</c> (in <c>LoadBalancerAttributes</c>; its other keys are left to ELB's defaults, as
/// before), a listener's <c>tcp.idle_timeout.seconds</c> (in <c>ListenerAttributes</c>) and a target group's
/// <c>HealthCheckTimeoutSeconds</c>, each refused where ELB refuses it.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const int MinHealthCheckTimeoutSeconds = 2;
    private const int MaxHealthCheckTimeoutSeconds = 120;

    private static int IdleTimeoutOf(PropertyReader r) =>
        AttributeSeconds(r, "LoadBalancerAttributes", "Load balancer", LoadBalancer.IdleTimeoutKey, 1, LoadBalancer.MaxIdleTimeoutSeconds, LoadBalancer.DefaultIdleTimeoutSeconds);

    private static int ClientKeepAliveOf(PropertyReader r) =>
        AttributeSeconds(r, "LoadBalancerAttributes", "Load balancer", LoadBalancer.ClientKeepAliveKey, LoadBalancer.MinClientKeepAliveSeconds, LoadBalancer.MaxClientKeepAliveSeconds, LoadBalancer.DefaultClientKeepAliveSeconds);

    /// <summary>A listener's <c>tcp.idle_timeout.seconds</c> (<c>ListenerAttributes</c>), which ELB takes on TCP listeners only.</summary>
    private static int TcpIdleTimeoutOf(PropertyReader r, string protocol)
    {
        const string Property = "ListenerAttributes";
        var seconds = AttributeSeconds(r, Property, "Listener", Listener.TcpIdleTimeoutKey, Listener.MinTcpIdleTimeoutSeconds, Listener.MaxTcpIdleTimeoutSeconds, Listener.DefaultTcpIdleTimeoutSeconds);
        if (protocol != "TCP")
        {
            foreach (var (pair, i) in r.Maps(Property).Select((p, i) => (p, i)))
            {
                if (pair.GetString("Key") == Listener.TcpIdleTimeoutKey)
                {
                    r.Problem($"{Property}[{i.ToString(CultureInfo.InvariantCulture)}].Value", $"Listener attribute '{Listener.TcpIdleTimeoutKey}' is supported by only TCP listeners of network load balancers, not {protocol}.");
                }
            }

            return Listener.DefaultTcpIdleTimeoutSeconds;
        }

        return seconds;
    }

    /// <summary>
    /// The value of <paramref name="key"/> among the <c>Key</c>/<c>Value</c> pairs of <paramref name="property"/>: an
    /// integer number of seconds from <paramref name="min"/> to <paramref name="max"/>, else a problem at the pair's value
    /// and <paramref name="fallback"/>, ELB's default (also when the key is absent). Other keys are left to ELB's defaults.
    /// </summary>
    private static int AttributeSeconds(PropertyReader r, string property, string owner, string key, int min, int max, int fallback)
    {
        var seconds = fallback;
        foreach (var (pair, i) in r.Maps(property).Select((p, i) => (p, i)))
        {
            var path = $"{property}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (r.String(pair, "Key", path + ".Key", required: true) != key || r.String(pair, "Value", path + ".Value", required: true) is not { } value)
            {
                continue;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
            {
                seconds = parsed;
            }
            else
            {
                r.Problem(path + ".Value", $"{owner} attribute '{key}' must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} seconds, not '{value}'.");
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
