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
/// resource policy says short of a deny; with IAM authorization (same account) an Allow of the caller's
/// identity-based policies or of the resource policy suffices; otherwise the resource policy must allow;</item>
/// <item>without any resource policy (and no authorizer or identity allow), a public API allows.</item>
/// </list>
/// The gateway evaluates the resource policy first and may stop at its explicit deny before running
/// the authorizer, as API Gateway does.
/// </summary>
public static class ApiGatewayAccess
{
    /// <summary>Combines decisions already made; null stands for a policy that is not there.</summary>
    /// <param name="resourcePolicy">The API's resource policy decision, or null when the API has none.</param>
    /// <param name="isPrivateApi">Whether the API is PRIVATE (which needs a resource policy).</param>
    /// <param name="endpointPolicy">The VPC endpoint policy decision, or null (no endpoint, or the default full-access policy).</param>
    /// <param name="authorizer">The Lambda authorizer's policy decision, or null when the method has no such authorizer.</param>
    /// <param name="domainPolicy">The private domain name's policy decision, or null when the request did not use one.</param>
    /// <param name="identity">The IAM caller's identity-based decision (<see cref="CallerIdentity.EvaluateIdentity"/>), or null when no identity policies take part.</param>
    public static AccessDecision Decide(
        PolicyDecision? resourcePolicy,
        bool isPrivateApi,
        PolicyDecision? endpointPolicy = null,
        PolicyDecision? authorizer = null,
        PolicyDecision? domainPolicy = null,
        PolicyDecision? identity = null)
    {
        if (Denied(resourcePolicy, PolicySource.ResourcePolicy, out var deny)
            || Denied(domainPolicy, PolicySource.DomainPolicy, out deny)
            || Denied(endpointPolicy, PolicySource.EndpointPolicy, out deny)
            || Denied(authorizer, PolicySource.Authorizer, out deny)
            || Denied(identity, PolicySource.Identity, out deny))
        {
            return deny;
        }

        // AWS never serves a PRIVATE API without a resource policy (its deployment fails), so nothing else can allow a call.
        if (resourcePolicy is null && isPrivateApi)
        {
            return new AccessDecision(Decision.ImplicitDeny, PolicySource.ResourcePolicy, -1);
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

        if (identity is { IsAllowed: true } fromIdentity && resourcePolicy is not { IsAllowed: true })
        {
            return new AccessDecision(Decision.Allow, PolicySource.Identity, fromIdentity.StatementIndex);
        }

        return resourcePolicy is { } fromResource
            ? new AccessDecision(fromResource.Decision, PolicySource.ResourcePolicy, fromResource.StatementIndex)
            : new AccessDecision(Decision.Allow, PolicySource.None, -1);
    }

    /// <summary>Evaluates every policy present against <paramref name="context"/> and combines them. Allocates nothing.</summary>
    /// <param name="context">The request.</param>
    /// <param name="resourcePolicy">The API's resource policy, or null.</param>
    /// <param name="isPrivateApi">Whether the API is PRIVATE.</param>
    /// <param name="endpointPolicy">The VPC endpoint's policy, or null.</param>
    /// <param name="authorizer">The Lambda authorizer's policy, or null.</param>
    /// <param name="domainPolicy">The private domain name's policy, or null.</param>
    /// <param name="caller">The IAM caller whose identity-based policies take part; null when none do.</param>
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
        var resource = resourcePolicy?.Evaluate(context);
        if (resource is { IsExplicitDeny: true })
        {
            return new AccessDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, resource.Value.StatementIndex);
        }

        return Decide(resource, isPrivateApi, endpointPolicy?.Evaluate(context), authorizer?.Evaluate(context), domainPolicy?.Evaluate(context), caller?.EvaluateIdentity(context));
    }

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
