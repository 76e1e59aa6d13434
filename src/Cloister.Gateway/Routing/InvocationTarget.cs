namespace Cloister.Gateway.Routing;

/// <summary>Which API a request names and how (spec §1).</summary>
/// <param name="ApiId">The API id.</param>
/// <param name="DomainName">The host the client used, without a port.</param>
/// <param name="DomainPrefix">The first label of <paramref name="DomainName"/>.</param>
/// <param name="NamedVpcEndpointId">The endpoint named in an <c>{api-id}-{vpce-id}</c> host; null otherwise.</param>
internal sealed record InvocationTarget(string ApiId, string DomainName, string DomainPrefix, string? NamedVpcEndpointId);
