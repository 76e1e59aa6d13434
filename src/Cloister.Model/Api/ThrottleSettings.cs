namespace Cloister.Model.Api;

/// <summary>A token bucket's limits: <paramref name="RateLimit"/> tokens a second into a bucket of <paramref name="BurstLimit"/>.</summary>
/// <param name="RateLimit">Steady requests per second; null when not set.</param>
/// <param name="BurstLimit">The bucket size; null when not set.</param>
public sealed record ThrottleSettings(double? RateLimit, int? BurstLimit);
