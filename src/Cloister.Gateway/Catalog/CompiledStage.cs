using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.ExecutionLogs;
using Cloister.Gateway.Routing;
using Cloister.Gateway.Validation;
using Cloister.Model.Api;

namespace Cloister.Gateway.Catalog;

/// <summary>A stage ready to serve: its deployment's snapshot compiled for lookups.</summary>
/// <param name="Name">The stage name.</param>
/// <param name="DeploymentId">The deployment served.</param>
/// <param name="Snapshot">The API as deployed.</param>
/// <param name="Tree">The snapshot's resources as a routing tree.</param>
/// <param name="Policy">The deployed resource policy; null when the API has none, which denies every call; one that did not compile is <see cref="DenyAllPolicy"/>.</param>
/// <param name="Variables">Stage variables.</param>
/// <param name="GatewayResponses">The snapshot's gateway response overrides by type.</param>
/// <param name="AccessLog">The access log format and file; null when the stage logs nothing.</param>
/// <param name="MethodArnPrefix"><c>arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/</c>.</param>
internal sealed record CompiledStage(
    string Name,
    string DeploymentId,
    RestApi Snapshot,
    ResourceTree Tree,
    Cloister.Policy.Policy? Policy,
    ImmutableDictionary<string, string> Variables,
    FrozenDictionary<string, CompiledGatewayResponse> GatewayResponses,
    AccessLogTarget? AccessLog,
    string MethodArnPrefix)
{
    /// <summary>The snapshot's request validators by id.</summary>
    public FrozenDictionary<string, RequestValidator> Validators { get; init; } = FrozenDictionary<string, RequestValidator>.Empty;

    /// <summary>The snapshot's models, parsed for body validation.</summary>
    public SchemaSet Schemas { get; init; } = SchemaSet.Empty;

    /// <summary>The execution log (MethodSettings <c>LoggingLevel</c>); null when no method of the stage logs.</summary>
    public ExecutionLogTarget? ExecutionLog { get; init; }
}
