using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>What a method calls.</summary>
/// <param name="Type">The integration type.</param>
/// <param name="HttpMethod">The method used towards the backend (<c>POST</c> for Lambda).</param>
/// <param name="Uri">The backend: a Lambda invocation ARN or a URL (may hold <c>${stageVariables.x}</c>).</param>
/// <param name="ConnectionType"><c>INTERNET</c> or <c>VPC_LINK</c>.</param>
/// <param name="ConnectionId">The VPC link id (may be <c>${stageVariables.x}</c>).</param>
/// <param name="TimeoutInMillis">50 to 29,000; 29,000 by default.</param>
/// <param name="RequestParameters">Request parameter mappings.</param>
/// <param name="RequestTemplates">Request templates by content type.</param>
/// <param name="PassthroughBehavior"><c>WHEN_NO_MATCH</c>, <c>WHEN_NO_TEMPLATES</c> or <c>NEVER</c>.</param>
/// <param name="Responses">Integration responses (non-proxy).</param>
public sealed record Integration(
    IntegrationType Type,
    string? HttpMethod,
    string? Uri,
    string ConnectionType,
    string? ConnectionId,
    int TimeoutInMillis,
    ImmutableDictionary<string, string> RequestParameters,
    ImmutableDictionary<string, string> RequestTemplates,
    string PassthroughBehavior,
    ImmutableArray<IntegrationResponse> Responses)
{
    /// <summary>
    /// The IAM role API Gateway assumes to call the backend (<c>Credentials</c>), or <c>arn:aws:iam::*:user/*</c> for the
    /// caller's own credentials; null when API Gateway calls as itself (a Lambda function's resource policy must then allow it).
    /// </summary>
    public string? Credentials { get; init; }

    /// <summary><c>ContentHandling</c>: how the request payload is converted before it reaches the backend.</summary>
    public ContentHandling ContentHandling { get; init; }

    /// <summary>API Gateway's default and largest integration timeout.</summary>
    public const int DefaultTimeoutInMillis = 29_000;
}
