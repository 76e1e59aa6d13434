using Cloister.Model.LoadBalancing;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A forward action's target group for one request: drawn at random in proportion to the weights, so a group of
/// weight 0 never gets a request; none when every weight is 0 (the load balancer answers 503, as for a group without
/// targets).
/// </summary>
internal static class WeightedChoice
{
    public static string? Pick(ForwardAction forward, Random random)
    {
        var total = 0;
        foreach (var group in forward.TargetGroups)
        {
            total += Math.Max(group.Weight, 0);
        }

        if (total == 0)
        {
            return null;
        }

        var point = random.Next(total);
        foreach (var group in forward.TargetGroups)
        {
            point -= Math.Max(group.Weight, 0);
            if (point < 0)
            {
                return group.TargetGroupId;
            }
        }

        return null;
    }
}
