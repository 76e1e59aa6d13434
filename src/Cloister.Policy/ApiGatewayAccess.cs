namespace Cloister.Policy;

/// <summary>
/// Combines the policies API Gateway consults for one request into one decision, allocating nothing:
/// <list type="number">
/// <item>an explicit deny in any of them (resource policy, private domain policy, VPC endpoint policy,
/// authorizer policy, checked in that order) denies;</item>
/// <item>a private API without a resource policy denies everything, whatever an authorizer or the caller's
/// identity-based policies allow: AWS refuses to deploy such an API;</item>
/// <item>a VPC endpoint policy and a private domain policy, where present, must each allow;</item>
/// <item>with a Lambda authorizer (same account), the authorizer's Allow suffices, whatever the
/// resource policy says short of a deny; otherwise the resource policy must allow;</item>
/// <item>without any resource policy (and no authorizer), a public API allows.</item>
/// </list>
/// For IAM authorization (a SigV4 caller of the same account) the caller's identity policies, its permissions
/// boundary, the resource policy and the endpoint policy are combined as <see cref="IamAccess"/> combines them —
/// an Allow of the identity policies or of the resource policy suffices, within the boundary — and the private API
/// and domain policy rules above still hold (<see cref="DecideForIamCaller"/>).
/// The gateway evaluates the resource policy first and may stop at its explicit deny before running
/// the authorizer, as API Gateway does.
/// </summary>
public static class ApiGatewayAccess
{
    /// <summary>Combines decisions already made, for a caller whose identity policies do not take part; null stands for a policy that is not there.</summary>
    /// <param name="resourcePolicy">The API's resource policy decision, or null when the API has none.</param>
    /// <param name="isPrivateApi">Whether the API is PRIVATE (which needs a resource policy).</param>
    /// <param name="endpointPolicy">The VPC endpoint policy decision, or null (no endpoint, or the default full-access policy).</param>
    /// <param name="authorizer">The Lambda authorizer's policy decision, or null when the method has no such authorizer.</param>
    /// <param name="domainPolicy">The private domain name's policy decision, or null when the request did not use one.</param>
    public static AccessDecision Decide(
        PolicyDecision? resourcePolicy,
        bool isPrivateApi,
        PolicyDecision? endpointPolicy = null,
        PolicyDecision? authorizer = null,
        PolicyDecision? domainPolicy = null)
    {
        if (Denied(resourcePolicy, PolicySource.ResourcePolicy, out var deny)
            || Denied(domainPolicy, PolicySource.DomainPolicy, out deny)
            || Denied(endpointPolicy, PolicySource.EndpointPolicy, out deny)
            || Denied(authorizer, PolicySource.Authorizer, out deny))
        {
            return deny;
        }

        if (IsPrivateWithoutPolicy(resourcePolicy is not null, isPrivateApi, out var refused))
        {
            return refused;
        }

        if (endpointPolicy is { IsAllowed: false })
        {
            return new AccessDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1);
        }

        if (domainPolicy is { IsAllowed: false })
        {
            return new AccessDecision(Decision.ImplicitDeny, PolicySource.DomainPolicy, -1);
        }

        if (authorizer is { } fromAuthorizer)
        {
            return new AccessDecision(fromAuthorizer.Decision, PolicySource.Authorizer, fromAuthorizer.StatementIndex);
        }

        return resourcePolicy is { } fromResource
            ? new AccessDecision(fromResource.Decision, PolicySource.ResourcePolicy, fromResource.StatementIndex)
            : new AccessDecision(Decision.Allow, PolicySource.None, -1);
    }

    /// <summary>
    /// Combines, for an IAM (SigV4) caller, IAM's decision over its identity policies, its permissions boundary, the API's
    /// resource policy and the endpoint policy (<see cref="IamAccess.Evaluate(RequestContext, CallerIdentity, Policy?, Policy?, Model.Network.VpcEndpointType)"/>)
    /// with what API Gateway adds: a private API needs a resource policy, and a private domain name's policy must allow.
    /// Explicit denies are reported resource policy first, then the domain policy, then the others.
    /// </summary>
    /// <param name="iam">IAM's decision for the caller, the resource policy and the endpoint policy.</param>
    /// <param name="hasResourcePolicy">Whether the API has a resource policy.</param>
    /// <param name="isPrivateApi">Whether the API is PRIVATE (which needs a resource policy).</param>
    /// <param name="domainPolicy">The private domain name's policy decision, or null when the request did not use one.</param>
    public static AccessDecision DecideForIamCaller(IamDecision iam, bool hasResourcePolicy, bool isPrivateApi, PolicyDecision? domainPolicy = null)
    {
        if (iam is { Decision: Decision.ExplicitDeny, Source: PolicySource.ResourcePolicy })
        {
            return From(iam);
        }

        if (Denied(domainPolicy, PolicySource.DomainPolicy, out var deny))
        {
            return deny;
        }

        if (iam.Decision == Decision.ExplicitDeny)
        {
            return From(iam);
        }

        if (IsPrivateWithoutPolicy(hasResourcePolicy, isPrivateApi, out var refused))
        {
            return refused;
        }

        if (iam is { Decision: Decision.ImplicitDeny, Source: PolicySource.EndpointPolicy })
        {
            return From(iam);
        }

        return domainPolicy is { IsAllowed: false }
            ? new AccessDecision(Decision.ImplicitDeny, PolicySource.DomainPolicy, -1)
            : From(iam);
    }

    /// <summary>Evaluates every policy present against <paramref name="context"/> and combines them. Allocates nothing.</summary>
    /// <param name="context">The request.</param>
    /// <param name="resourcePolicy">The API's resource policy, or null.</param>
    /// <param name="isPrivateApi">Whether the API is PRIVATE.</param>
    /// <param name="endpointPolicy">The VPC endpoint's policy, or null.</param>
    /// <param name="authorizer">The Lambda authorizer's policy, or null.</param>
    /// <param name="domainPolicy">The private domain name's policy, or null.</param>
    /// <param name="caller">The IAM caller whose identity-based policies and boundary take part (<see cref="DecideForIamCaller"/>); null when none do.</param>
    /// <exception cref="ArgumentException">Both <paramref name="authorizer"/> and <paramref name="caller"/> are given: a method has one authorization type.</exception>
    public static AccessDecision Evaluate(
        RequestContext context,
        Policy? resourcePolicy,
        bool isPrivateApi,
        Policy? endpointPolicy = null,
        Policy? authorizer = null,
        Policy? domainPolicy = null,
        CallerIdentity? caller = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (caller is not null)
        {
            if (authorizer is not null)
            {
                throw new ArgumentException("A method authorizes with a Lambda authorizer or with IAM, not both.", nameof(caller));
            }

            var iam = IamAccess.Evaluate(context, caller, resourcePolicy, endpointPolicy);
            return DecideForIamCaller(iam, resourcePolicy is not null, isPrivateApi, domainPolicy?.Evaluate(context));
        }

        var resource = resourcePolicy?.Evaluate(context);
        if (resource is { IsExplicitDeny: true })
        {
            return new AccessDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, resource.Value.StatementIndex);
        }

        return Decide(resource, isPrivateApi, endpointPolicy?.Evaluate(context), authorizer?.Evaluate(context), domainPolicy?.Evaluate(context));
    }

    /// <summary>AWS never serves a PRIVATE API without a resource policy (its deployment fails), so nothing can allow a call to one.</summary>
    private static bool IsPrivateWithoutPolicy(bool hasResourcePolicy, bool isPrivateApi, out AccessDecision result)
    {
        result = new AccessDecision(Decision.ImplicitDeny, PolicySource.ResourcePolicy, -1);
        return isPrivateApi && !hasResourcePolicy;
    }

    private static AccessDecision From(IamDecision iam) => new(iam.Decision, iam.Source, iam.StatementIndex);

    private static bool Denied(PolicyDecision? decision, PolicySource source, out AccessDecision result)
    {
        result = default;
        if (decision is { IsExplicitDeny: true } denied)
        {
            result = new AccessDecision(Decision.ExplicitDeny, source, denied.StatementIndex);
            return true;
        }

        return false;
    }
}
