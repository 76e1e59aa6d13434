using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A usage plan (<c>AWS::ApiGateway::UsagePlan</c>): which API stages its keys may call, how fast and how often.</summary>
/// <param name="Id">Its id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="ApiStages">The stages it covers.</param>
/// <param name="Throttle">The per-key token bucket; null when the plan does not throttle.</param>
/// <param name="Quota">The per-key quota; null when there is none.</param>
public sealed record UsagePlan(string Id, string LogicalId, string Name, ImmutableArray<UsagePlanApiStage> ApiStages, ThrottleSettings? Throttle, QuotaSettings? Quota) : IResource;
