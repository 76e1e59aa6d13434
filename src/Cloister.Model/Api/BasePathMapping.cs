namespace Cloister.Model.Api;

/// <summary>A base path mapping of a public custom domain name (<c>AWS::ApiGateway::BasePathMapping</c>).</summary>
/// <param name="Id"><c>{domain}/{basePath}</c>.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="DomainName">The custom domain name.</param>
/// <param name="BasePath">The first path segment it matches; empty for the whole domain (<c>(none)</c>).</param>
/// <param name="RestApiId">The API it serves.</param>
/// <param name="Stage">The stage; null when the path's next segment names the stage.</param>
public sealed record BasePathMapping(string Id, string LogicalId, string DomainName, string BasePath, string RestApiId, string? Stage) : IResource;
