using System.Collections.Immutable;

namespace Cloister.Policy;

/// <summary>
/// Who signed a request, as a service that evaluates identity-based policies knows the caller: the principal, the
/// secret its signature is checked with, and the permissions policies of its identity.
/// </summary>
/// <param name="Principal">The caller: an assumed role's session (<c>arn:aws:sts::{account}:assumed-role/{role}/{session}</c>) or the account's root.</param>
/// <param name="UserId">The value of <c>aws:userid</c>: <c>{role id}:{session}</c> for a role session, the account id for the root.</param>
/// <param name="SecretAccessKey">The secret the request's SigV4 signature must be made with; null when it cannot be checked (a key Cloister did not issue).</param>
/// <param name="IdentityPolicies">The permissions policies of the caller's identity (its role's).</param>
/// <param name="PermissionsBoundary">The identity's permissions boundary; null without one.</param>
/// <param name="IsRoot">Whether the caller is the account's root user, whom identity-based policies do not restrict.</param>
/// <param name="SessionToken">The session token a request signed with temporary credentials must carry; null when none is checked.</param>
public sealed record CallerIdentity(
    RequestPrincipal Principal,
    string UserId,
    string? SecretAccessKey,
    ImmutableArray<Policy> IdentityPolicies,
    Policy? PermissionsBoundary,
    bool IsRoot,
    string? SessionToken = null)
{
    /// <summary>
    /// The caller as a request's principal, carrying <see cref="UserId"/>: a service that puts it in
    /// <see cref="RequestContext.Principal"/> has <c>aws:userid</c> filled, as IAM fills it for every signed request.
    /// </summary>
    public RequestPrincipal Principal { get; init; } = (Principal ?? throw new ArgumentNullException(nameof(Principal))) with { UserId = UserId };

    /// <summary>
    /// The session policies the caller's role session was issued with (STS AssumeRole's <c>Policy</c> and
    /// <c>PolicyArns</c>); empty without any. When there are some, the session may do only what its identity policies
    /// and one of these allow, and an explicit deny in one of them refuses (<see cref="IamAccess"/>).
    /// </summary>
    public ImmutableArray<Policy> SessionPolicies { get; init; } = [];

    /// <summary>The words every AWS service answers a request signed with expired temporary credentials with (its error code is its own).</summary>
    public const string ExpiredTokenMessage = "The security token included in the request is expired";

    /// <summary>
    /// When the caller's temporary credentials stop working (an STS session's <c>DurationSeconds</c> after it was issued,
    /// an instance profile's or a function's credentials' lifetime); null for keys that never expire (the root's).
    /// </summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>
    /// Whether the credentials have expired at <paramref name="now"/> (the service's clock): the one decision every
    /// service makes once it knows who a key is, before it checks the signature, and answers in its own protocol
    /// (<c>ExpiredToken</c>, <c>ExpiredTokenException</c>, with <see cref="ExpiredTokenMessage"/>).
    /// </summary>
    public bool HasExpired(DateTimeOffset now) => Expiration is { } expiration && now >= expiration;

    /// <summary>The principal's ARN, as error messages name it (<c>User: {arn} is not authorized...</c>).</summary>
    public string Arn => Principal.Identifier ?? "anonymous";

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"CallerIdentity {{ Arn = {Arn}, UserId = {UserId} }}";
}
