namespace Cloister.Model.LoadBalancing;

/// <summary>A target group of a forward action, with its share of the requests.</summary>
/// <param name="TargetGroupId">The target group's ARN.</param>
/// <param name="Weight">0 to 999; a group gets requests in proportion to its weight among the action's groups.</param>
public sealed record WeightedTargetGroup(string TargetGroupId, int Weight);
