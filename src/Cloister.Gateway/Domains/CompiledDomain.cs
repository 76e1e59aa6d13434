using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace Cloister.Gateway.Domains;

/// <summary>A custom domain name ready to route: its base path mappings, and for a private one its policy and associated endpoints.</summary>
/// <param name="Name">The host name, lower case.</param>
/// <param name="IsPrivate">Whether it is a private domain name (<c>DomainNameV2</c>).</param>
/// <param name="ExecuteApiArn">The resource its policy is evaluated against (private names); empty for public ones.</param>
/// <param name="Policy">Its compiled execute-api policy; null denies every call (private names only).</param>
/// <param name="Endpoints">VPC endpoints granted access (private names only).</param>
/// <param name="BasePaths">Base path mappings by their first path segment; the empty key is <c>(none)</c>.</param>
/// <param name="Certificate">What TLS presents for the name; null when no issuer was given.</param>
/// <param name="Tls">The security policy TLS applies when SNI names it.</param>
/// <param name="Strict">Whether its endpoint access mode is <c>STRICT</c>: a request whose SNI is not the name is refused.</param>
/// <param name="IsEdge">Whether it is an edge-optimized name (CloudFront's), which the Region's front end does not serve.</param>
internal sealed record CompiledDomain(
    string Name,
    bool IsPrivate,
    string ExecuteApiArn,
    Cloister.Policy.Policy? Policy,
    FrozenSet<string> Endpoints,
    FrozenDictionary<string, BasePathTarget> BasePaths,
    X509Certificate2? Certificate,
    TlsPolicy Tls,
    bool Strict,
    bool IsEdge = false);
