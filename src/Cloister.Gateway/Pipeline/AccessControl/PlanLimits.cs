using System.Collections.Frozen;
using Cloister.Gateway.Throttling;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>One API key's limits under the usage plan that covers one API stage.</summary>
/// <param name="PlanId">The usage plan.</param>
/// <param name="KeyBucket">The key's bucket for the plan's throttle; null when the plan does not throttle.</param>
/// <param name="MethodBuckets">The key's buckets for the plan's per-method throttles, by resource path and method; they replace <paramref name="KeyBucket"/> for their method.</param>
/// <param name="Quota">The key's quota counter; null when the plan has no quota.</param>
internal sealed record PlanLimits(string PlanId, TokenBucket? KeyBucket, FrozenDictionary<(string Path, string Method), TokenBucket> MethodBuckets, QuotaCounter? Quota);
