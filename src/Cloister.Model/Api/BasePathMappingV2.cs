namespace Cloister.Model.Api;

/// <summary>A base path mapping of a private custom domain name (<c>AWS::ApiGateway::BasePathMappingV2</c>).</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="DomainNameArn">The private domain name's ARN.</param>
/// <param name="BasePath">The first path segment it matches; empty for the whole domain (<c>(none)</c>).</param>
/// <param name="RestApiId">The API it serves.</param>
/// <param name="Stage">The stage; null when the path's next segment names the stage.</param>
public sealed record BasePathMappingV2(string Id, string LogicalId, string DomainNameArn, string BasePath, string RestApiId, string? Stage) : IResource;
