using System.Collections.Immutable;

namespace Cloister.Policy.Callers;

/// <summary>An STS AssumeRole call once its parameters are valid, for <see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/> to judge.</summary>
/// <param name="Caller">Who signed the call.</param>
/// <param name="Context">
/// The request as the role's trust policy and the caller's policies see it: <c>sts:AssumeRole</c> on the role's ARN
/// (<see cref="RequestContext.Resource"/>), the caller as principal, its time (when the session is issued) and the keys
/// the call brings (<c>sts:RoleSessionName</c>, <c>sts:ExternalId</c>, <c>sts:SourceIdentity</c>, <c>aws:SecureTransport</c>...).
/// </param>
/// <param name="SessionName">The <c>RoleSessionName</c>.</param>
/// <param name="DurationSeconds">The session's length asked for (<c>DurationSeconds</c>, 3,600 when not given).</param>
/// <param name="SetsSourceIdentity">Whether the call passes a <c>SourceIdentity</c>, which the trust policy must also allow (<c>sts:SetSourceIdentity</c>).</param>
/// <param name="Policy">The inline session policy (<c>Policy</c>) as sent; null when absent.</param>
/// <param name="PolicyArns">The managed session policies' ARNs (<c>PolicyArns</c>); default or empty when absent.</param>
public sealed record AssumeRoleRequest(
    CallerIdentity Caller,
    RequestContext Context,
    string SessionName,
    int DurationSeconds,
    bool SetsSourceIdentity = false,
    string? Policy = null,
    ImmutableArray<string> PolicyArns = default);
