using System.Collections.Immutable;
using Cloister.Model.Network;
using Cloister.Policy.Evaluation;

namespace Cloister.Policy;

/// <summary>
/// IAM's evaluation logic for a request within one account, allocating nothing:
/// <list type="number">
/// <item>an explicit deny in any policy that applies — the caller's identity policies, the resource's policy, the
/// VPC endpoint policy, the permissions boundary, reported in that order — denies (a Deny with NotPrincipal always
/// applies to a caller with a permissions boundary, as IAM documents);</item>
/// <item>a VPC endpoint policy, when the request came through an endpoint that has one, must allow;</item>
/// <item>a resource policy that allows the caller by its own ARN (a role session's session ARN, a user's ARN), or by
/// <c>aws:PrincipalArn</c> under <c>Principal: "*"</c>, allows, whatever the boundary says: IAM documents that an
/// implicit deny in a permissions boundary does not limit what a same-account resource-based policy grants that way;</item>
/// <item>otherwise an identity policy or the resource policy (naming the caller's role or everyone) must allow, and
/// so must the permissions boundary when the identity has one; an Allow that covers the caller only through its
/// account is no grant, since naming the account delegates to the account's IAM policies;</item>
/// <item>a role session issued with session policies (STS AssumeRole's <c>Policy</c>, <c>PolicyArns</c>) is limited
/// by them as by a boundary: an explicit deny in one denies, and one must allow what the identity policies or the
/// resource policy allow, unless the resource policy's Allow names the session's own ARN (IAM documents that such a grant
/// is not limited by the session policy, while one naming the role's ARN, or selecting the role by
/// <c>aws:PrincipalArn</c>, is);</item>
/// <item>the account's root is not governed by identity policies or boundaries: it is allowed unless the resource or
/// endpoint policy explicitly denies it, or the endpoint policy does not allow it.</item>
/// </list>
/// Cross-account requests (which need both an identity and a resource policy allow) are not this combiner's.
/// </summary>
public static class IamAccess
{
    /// <summary>Combines decisions already made; null stands for a policy that is not there.</summary>
    /// <param name="identity">The caller's identity policies together: an explicit deny if one denies, Allow if one allows.</param>
    /// <param name="permissionsBoundary">The permissions boundary's decision, or null without a boundary.</param>
    /// <param name="resourcePolicy">The resource policy's decision, or null when the resource has none.</param>
    /// <param name="resourceNamesCaller">Whether the resource policy's Allow names the caller itself: its own ARN, or <c>aws:PrincipalArn</c> under <c>Principal: "*"</c> (see <see cref="IamAccess"/>).</param>
    /// <param name="endpointPolicy">The VPC endpoint policy's decision, or null (no endpoint, or its default full-access policy).</param>
    /// <param name="isRoot">Whether the caller is the account's root user.</param>
    /// <param name="sessionPolicy">The session policies' decision together (an explicit deny if one denies, Allow if one allows), or null for a caller without session policies.</param>
    /// <param name="resourceNamesSession">Whether the resource policy's Allow names the caller's own ARN in its Principal (not through <c>aws:PrincipalArn</c>): such a grant is not limited by session policies.</param>
    public static IamDecision Decide(
        PolicyDecision identity,
        PolicyDecision? permissionsBoundary,
        PolicyDecision? resourcePolicy,
        bool resourceNamesCaller,
        PolicyDecision? endpointPolicy,
        bool isRoot,
        PolicyDecision? sessionPolicy = null,
        bool resourceNamesSession = false)
    {
        if (!isRoot && identity.IsExplicitDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.Identity, -1, identity.StatementIndex);
        }

        if (resourcePolicy is { IsExplicitDeny: true } resourceDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, -1, resourceDeny.StatementIndex);
        }

        if (endpointPolicy is { IsExplicitDeny: true } endpointDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.EndpointPolicy, -1, endpointDeny.StatementIndex);
        }

        if (!isRoot && permissionsBoundary is { IsExplicitDeny: true } boundaryDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.PermissionsBoundary, -1, boundaryDeny.StatementIndex);
        }

        if (!isRoot && sessionPolicy is { IsExplicitDeny: true } sessionDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.SessionPolicy, -1, sessionDeny.StatementIndex);
        }

        if (endpointPolicy is { IsAllowed: false })
        {
            return new IamDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1, -1);
        }

        if (isRoot)
        {
            return new IamDecision(Decision.Allow, PolicySource.None, -1, -1);
        }

        var resourceAllows = resourcePolicy is { IsAllowed: true };
        var sessionAllows = sessionPolicy is not { IsAllowed: false };
        if (resourceAllows && resourceNamesCaller && (sessionAllows || resourceNamesSession))
        {
            return new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, resourcePolicy!.Value.StatementIndex);
        }

        if (!identity.IsAllowed && !resourceAllows)
        {
            return new IamDecision(Decision.ImplicitDeny, PolicySource.Identity, -1, -1);
        }

        // A grant naming the caller passes the boundary; here it can only have failed the session policy.
        if (permissionsBoundary is { IsAllowed: false } && !(resourceAllows && resourceNamesCaller))
        {
            return new IamDecision(Decision.ImplicitDeny, PolicySource.PermissionsBoundary, -1, -1);
        }

        if (!sessionAllows)
        {
            return new IamDecision(Decision.ImplicitDeny, PolicySource.SessionPolicy, -1, -1);
        }

        return identity.IsAllowed
            ? new IamDecision(Decision.Allow, PolicySource.Identity, -1, identity.StatementIndex)
            : new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, resourcePolicy!.Value.StatementIndex);
    }

    /// <summary>Evaluates the caller's policies, the resource's and the endpoint's against <paramref name="context"/> and combines them. Allocates nothing.</summary>
    /// <param name="context">The request: action, resource, caller (<see cref="RequestContext.Principal"/>) and condition keys.</param>
    /// <param name="caller">The caller: its identity policies, boundary, and whether it is the root.</param>
    /// <param name="resourcePolicy">The resource's policy, or null when it has none.</param>
    /// <param name="endpointPolicy">The policy of the VPC endpoint the request came through, or null (none, or the default full access).</param>
    /// <param name="endpointType">
    /// The type of that endpoint. A <see cref="VpcEndpointType.Gateway"/> endpoint's policy (DynamoDB, S3) reads an account
    /// principal (<c>"AWS": "ACCOUNT"</c>, <c>arn:aws:iam::ACCOUNT:root</c>) as the account's root user only, as the VPC user
    /// guide documents; an interface endpoint's as every identity of the account.
    /// </param>
    public static IamDecision Evaluate(RequestContext context, CallerIdentity caller, Policy? resourcePolicy, Policy? endpointPolicy, VpcEndpointType endpointType = VpcEndpointType.Interface)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Evaluate(context, caller.IdentityPolicies, caller.PermissionsBoundary, resourcePolicy, endpointPolicy, caller.IsRoot, endpointType, caller.SessionPolicies);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may assume a role of its own account whose trust policy is
    /// <paramref name="trustPolicy"/> (<see cref="TrustPolicy"/>), the request being <paramref name="context"/>
    /// (<c>sts:AssumeRole</c> on the role's ARN, or <c>sts:SetSourceIdentity</c>...). A role's trust policy is one of the two
    /// resource-based policies (with KMS key policies) that must allow the caller themselves: an identity policy alone
    /// grants nothing. Then, as for any resource policy of the caller's account (<see cref="Evaluate(RequestContext, CallerIdentity, Policy?, Policy?, VpcEndpointType)"/>):
    /// a trust policy naming the caller's role, its session or everyone (<c>"AWS": "*"</c>) is enough by itself, while
    /// one that trusts only the account (<c>arn:aws:iam::ACCOUNT:root</c>, <c>ACCOUNT</c>) delegates to the account's IAM
    /// policies, so the caller's identity policies must allow the action too; an explicit deny anywhere, or a permissions
    /// boundary that does not allow the action (unless the trust policy names the session itself), refuses.
    /// </summary>
    public static IamDecision EvaluateRoleTrust(RequestContext context, CallerIdentity caller, Policy trustPolicy)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(trustPolicy);
        var combined = Evaluate(context, caller, trustPolicy, endpointPolicy: null);
        if (!combined.IsAllowed)
        {
            return combined;
        }

        var trust = trustPolicy.Evaluate(context);
        return trust.IsAllowed ? combined : new IamDecision(Decision.ImplicitDeny, PolicySource.ResourcePolicy, -1, -1);
    }

    /// <summary>
    /// As <see cref="Evaluate(RequestContext, CallerIdentity, Policy?, Policy?, VpcEndpointType)"/>, with the caller's
    /// policies given one by one; <paramref name="sessionPolicies"/> default or empty for a caller without session policies.
    /// </summary>
    public static IamDecision Evaluate(
        RequestContext context,
        ImmutableArray<Policy> identityPolicies,
        Policy? permissionsBoundary,
        Policy? resourcePolicy,
        Policy? endpointPolicy,
        bool isRoot,
        VpcEndpointType endpointType = VpcEndpointType.Interface,
        ImmutableArray<Policy> sessionPolicies = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (identity, identityIndex) = isRoot || identityPolicies.IsDefault ? (PolicyDecision.Implicit, -1) : Combine(identityPolicies, context);
        if (identity.IsExplicitDeny)
        {
            return new IamDecision(Decision.ExplicitDeny, PolicySource.Identity, identityIndex, identity.StatementIndex);
        }

        PolicyDecision? session = null;
        if (!isRoot && !sessionPolicies.IsDefaultOrEmpty)
        {
            var (sessionDecision, sessionIndex) = Combine(sessionPolicies, context);
            if (sessionDecision.IsExplicitDeny)
            {
                return new IamDecision(Decision.ExplicitDeny, PolicySource.SessionPolicy, sessionIndex, sessionDecision.StatementIndex);
            }

            session = sessionDecision;
        }

        // Within one account, a resource policy naming the account delegates to the account's IAM policies: it is no grant.
        // A NotPrincipal never excludes a caller that has a permissions boundary from a Deny.
        var bounded = !isRoot && permissionsBoundary is not null ? PrincipalRules.CallerHasBoundary : PrincipalRules.None;
        var resourceRules = PrincipalRules.AccountDelegates | bounded;
        var resource = resourcePolicy?.Evaluate(context, resourceRules);
        var endpoint = endpointPolicy?.Evaluate(context, endpointType == VpcEndpointType.Gateway ? bounded | PrincipalRules.AccountIsRoot : bounded);
        var boundary = isRoot ? null : permissionsBoundary?.Evaluate(context);

        // Only asked when it can matter: the resource policy allows and the boundary or the session policies do not.
        var limited = boundary is { IsAllowed: false } || session is { IsAllowed: false };
        var namesCaller = resource is { IsAllowed: true } && limited && resourcePolicy!.AllowsCallerByName(context, resourceRules);
        var namesSession = namesCaller && session is { IsAllowed: false } && resourcePolicy!.AllowsCallerByName(context, resourceRules, byPrincipalArn: false);
        var result = Decide(identity, boundary, resource, namesCaller, endpoint, isRoot, session, namesSession);
        return result.Source == PolicySource.Identity && result.Decision == Decision.Allow ? result with { PolicyIndex = identityIndex } : result;
    }

    /// <summary>
    /// Several policies of one kind together: the first explicit deny with its policy's index, else the first Allow with
    /// its index, else the implicit deny (index -1).
    /// </summary>
    private static (PolicyDecision Decision, int Index) Combine(ImmutableArray<Policy> policies, RequestContext context)
    {
        var combined = PolicyDecision.Implicit;
        var index = -1;
        for (var i = 0; i < policies.Length; i++)
        {
            var decision = policies[i].Evaluate(context);
            if (decision.IsExplicitDeny)
            {
                return (decision, i);
            }

            if (decision.IsAllowed && !combined.IsAllowed)
            {
                (combined, index) = (decision, i);
            }
        }

        return (combined, index);
    }
}
