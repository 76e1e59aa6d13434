using Cloister.Templates.Nodes;

namespace Cloister.Templates.Specification;

/// <summary>
/// A key a resource's Properties, or a structure inside them, does not accept: <see cref="Path"/> from the top of
/// Properties (<c>AliasTarget.DNSNme</c>, <c>SecurityGroupIngress[0].FromPrt</c>), the entry as written, and the
/// accepted name its author most likely meant, or null.
/// </summary>
internal sealed record UnknownProperty(string Path, MapEntry Entry, string? Meant);
