using System.Globalization;
using Cloister.Model.LoadBalancing;

namespace Cloister.Templates.Mapping;

/// <summary>
/// What CreateTargetGroup refuses in a health check: an interval outside 5 to 300 seconds, a threshold count outside
/// 2 to 10, a matcher code outside 200 to 499 (an application load balancer's HTTP and HTTPS groups) or 200 to 599 (a
/// network load balancer's), and a TCP check of an HTTP or HTTPS group. The defaults are within them, so only what the
/// template sets can be refused.
/// </summary>
internal sealed partial class ModelBuilder
{
    private static void CheckHealthLimits(PropertyReader r, string groupProtocol, HealthCheck check)
    {
        if (check.IntervalSeconds is < 5 or > 300)
        {
            r.Problem("HealthCheckIntervalSeconds", $"'{check.IntervalSeconds.ToString(CultureInfo.InvariantCulture)}' is not a health check interval (from 5 to 300 seconds).");
        }

        foreach (var (property, count) in new[] { ("HealthyThresholdCount", check.HealthyThreshold), ("UnhealthyThresholdCount", check.UnhealthyThreshold) })
        {
            if (count is < 2 or > 10)
            {
                r.Problem(property, $"'{count.ToString(CultureInfo.InvariantCulture)}' is not a threshold count (from 2 to 10).");
            }
        }

        var application = groupProtocol is "HTTP" or "HTTPS";
        if (application && check.Protocol == "TCP")
        {
            r.Problem("HealthCheckProtocol", "The TCP protocol is not supported for health checks if the protocol of the target group is HTTP or HTTPS.");
        }

        var highest = application ? 499 : 599;
        if (check.Protocol is "HTTP" or "HTTPS" && !MatcherWithin(check.Matcher, highest))
        {
            r.Problem("Matcher.HttpCode", $"'{check.Matcher}' is not a list of HTTP codes or ranges from 200 to {highest.ToString(CultureInfo.InvariantCulture)} (such as 200,202 or 200-299).");
        }
    }

    private static bool MatcherWithin(string matcher, int highest) =>
        matcher.Split(',').All(part =>
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var from = dash < 0 ? part : part[..dash];
            var to = dash < 0 ? part : part[(dash + 1)..];
            return int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var low) &&
                int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var high) &&
                low >= 200 && low <= high && high <= highest;
        });
}
