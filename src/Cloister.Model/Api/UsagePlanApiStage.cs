using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>An API stage a usage plan covers, with throttles per method.</summary>
/// <param name="ApiId">The REST API id.</param>
/// <param name="Stage">The stage name.</param>
/// <param name="MethodThrottles">Throttles by <c>{resourcePath}/{HTTPMETHOD}</c>, such as <c>/pets/GET</c>.</param>
public sealed record UsagePlanApiStage(string ApiId, string Stage, ImmutableDictionary<string, ThrottleSettings> MethodThrottles);
