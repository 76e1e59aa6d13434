namespace Cloister.Gateway.Domains;

/// <summary>Where a base path of a custom domain name leads.</summary>
/// <param name="ApiId">The API.</param>
/// <param name="Stage">The stage; null when the next path segment names it.</param>
internal sealed record BasePathTarget(string ApiId, string? Stage);
