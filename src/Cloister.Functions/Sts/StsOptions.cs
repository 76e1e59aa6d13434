using Cloister.Functions.Hosting;
using Cloister.Policy;
using Cloister.Policy.Callers;

namespace Cloister.Functions.Sts;

/// <summary>Where the sandbox's STS Query API listens and whom it knows.</summary>
public sealed record StsOptions : HostedServerOptions
{
    /// <summary>
    /// The caller an access key id stands for (the sandbox's <c>CallerDirectory.Find</c>); null when the key is unknown
    /// (<c>InvalidClientTokenId</c>). Unset: no key is known.
    /// </summary>
    public Func<string, CallerIdentity?> Callers { get; init; } = static _ => null;

    /// <summary>
    /// Judges an AssumeRole call whose parameters are valid and issues the session (the sandbox's
    /// <c>CallerDirectory.AssumeRole</c>: the role's trust policy, the caller's policies, the session's length). Unset:
    /// AssumeRole is not served.
    /// </summary>
    public Func<AssumeRoleRequest, AssumeRoleResult>? AssumeRole { get; init; }
}
