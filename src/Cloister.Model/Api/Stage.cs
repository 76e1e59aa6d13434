using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A stage: a name under which a deployment is served.</summary>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="RestApiId">The API.</param>
/// <param name="StageName">The stage name, such as <c>dev</c>.</param>
/// <param name="DeploymentId">The deployment it serves.</param>
/// <param name="Variables">Stage variables.</param>
/// <param name="MethodSettings">Per-method settings.</param>
/// <param name="AccessLog">The access log, if any.</param>
public sealed record Stage(string LogicalId, string RestApiId, string StageName, string DeploymentId, ImmutableDictionary<string, string> Variables, ImmutableArray<MethodSetting> MethodSettings, AccessLogSetting? AccessLog) : IResource
{
    /// <summary>A stage is identified by its API and name.</summary>
    public string Id => $"{RestApiId}/{StageName}";
}
