using Cloister.Gateway.Authorizers;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Signing;
using Cloister.Gateway.Throttling;
using Cloister.Policy;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// Everything between routing and the integration that decides whether a call may proceed, in API Gateway's order:
/// <list type="number">
/// <item>AWS_IAM: the SigV4 signature against the sandbox's credentials;</item>
/// <item>with a Lambda authorizer: the resource policy's explicit denies first, then the authorizer (cached by identity);</item>
/// <item>a private custom domain name's policy, evaluated against the domain's ARN;</item>
/// <item>the resource, endpoint and authorizer policies combined by <see cref="ApiGatewayAccess"/>;</item>
/// <item>the API key (header or authorizer) and its usage plan for this stage;</item>
/// <item>throttles: the usage plan per key (or per key and method), the stage's method throttle, the account; then the key's quota,
/// counted only for a request no throttle refused.</item>
/// </list>
/// </summary>
internal sealed class AccessController(LambdaAuthorizers authorizers, TimeProvider time)
{
    /// <summary>Null when the call may proceed; otherwise the refusal.</summary>
    public async ValueTask<GatewayError?> AuthorizeAsync(HttpContext http, GatewayCatalog catalog, RequestState state, string methodArn, ReadOnlyMemory<byte> body)
    {
        var stage = state.Stage!;
        var method = state.Route!.Method;
        var access = catalog.Access;
        var endpointPolicy = catalog.EndpointPolicies.GetValueOrDefault(state.VpceId);
        if (method.AuthorizationType == "AWS_IAM" || ReadsAuthorizationForEndpointPolicy(http, method.AuthorizationType, endpointPolicy))
        {
            var signed = SigV4Verifier.Verify(http, body.Span, time.GetUtcNow(), catalog.Account.Region, access.Credentials);
            if (signed.Error is not null)
            {
                return signed.Error;
            }

            state.Caller = signed.Caller;
        }

        // A private custom domain name's own policy, against the domain's ARN, must allow too.
        if (state.Domain is { IsPrivate: true } domain)
        {
            var domainDecision = domain.Policy?.Evaluate(AccessContext.For(http, state, domain.ExecuteApiArn)) ?? PolicyDecision.Implicit;
            if (!domainDecision.IsAllowed)
            {
                return Denied(catalog, state, methodArn, domainDecision.IsExplicitDeny);
            }
        }

        AccessDecision decision;
        if (method.AuthorizationType is "CUSTOM" or "COGNITO_USER_POOLS")
        {
            // The resource policy is evaluated once, before the authorizer runs; its explicit deny stops the call there.
            var resource = stage.Policy?.Evaluate(AccessContext.For(http, state, methodArn));
            if (resource is { IsExplicitDeny: true })
            {
                return Denied(catalog, state, methodArn, explicitDeny: true);
            }

            if (method.AuthorizerId is null || !access.Authorizers.TryGetValue((state.ApiId!, method.AuthorizerId), out var authorizer))
            {
                return AccessErrors.AuthorizerConfiguration;
            }

            var outcome = await authorizers.AuthorizeAsync(authorizer, http, state, methodArn, catalog.LambdaAccess).ConfigureAwait(false);
            if (outcome.Error is not null)
            {
                return outcome.Error;
            }

            state.Authorizer = outcome.Result;
            var context = AccessContext.For(http, state, methodArn);
            decision = ApiGatewayAccess.Decide(resource, isPrivateApi: !state.Regional, endpointPolicy?.Evaluate(context), outcome.Result!.Policy.Evaluate(context));
        }
        else
        {
            // A NONE method's signer names the principal the policies see; its identity policies take part only for AWS_IAM.
            // Routing serves private APIs through endpoints only and public ones at the Region's front end only, so the
            // listener tells which the API is (a public API needs no resource policy).
            var iamCaller = method.AuthorizationType == "AWS_IAM" ? state.Caller?.Identity : null;
            decision = ApiGatewayAccess.Evaluate(AccessContext.For(http, state, methodArn), stage.Policy, isPrivateApi: !state.Regional, endpointPolicy, caller: iamCaller);
        }

        if (!decision.IsAllowed)
        {
            return decision.Source == PolicySource.Authorizer
                ? AccessErrors.AuthorizerDenied(decision.Decision == Decision.ExplicitDeny)
                : Denied(catalog, state, methodArn, decision.Decision == Decision.ExplicitDeny);
        }

        return Throttle(http, catalog, state);
    }

    private GatewayError? Throttle(HttpContext http, GatewayCatalog catalog, RequestState state)
    {
        var access = catalog.Access;
        var route = state.Route!;
        var stageKey = (state.ApiId!, state.Stage!.Name);
        var methodKey = (route.Resource.Path, route.Method.HttpMethod);
        QuotaCounter? quota = null;
        if (route.Method.ApiKeyRequired)
        {
            var value = state.Stage!.Snapshot.ApiKeySource == "AUTHORIZER"
                ? state.Authorizer?.UsageIdentifierKey
                : http.Request.Headers["x-api-key"].ToString();
            if (string.IsNullOrEmpty(value)
                || !access.KeysByValue.TryGetValue(value, out var key)
                || !key.Key.Enabled
                || !key.Plans.TryGetValue(stageKey, out var plan))
            {
                return AccessErrors.InvalidApiKey;
            }

            state.ApiKey = key.Key;
            var bucket = plan.MethodBuckets.Count > 0 && plan.MethodBuckets.TryGetValue(methodKey, out var perMethod) ? perMethod : plan.KeyBucket;
            if (bucket is not null && !bucket.TryTake())
            {
                return AccessErrors.Throttled;
            }

            quota = plan.Quota;
        }

        if (access.MethodThrottles.TryGetValue(stageKey, out var methods))
        {
            if (methods.TryGetValue(methodKey, out var stageBucket) && !stageBucket.TryTake())
            {
                return AccessErrors.Throttled;
            }
        }

        if (!access.Account.TryTake())
        {
            return AccessErrors.Throttled;
        }

        // Counted last: a request refused by any throttle does not count against the key's quota (docs/gateway.md).
        return quota is null || quota.TryCount(time.GetUtcNow()) ? null : AccessErrors.QuotaExceeded;
    }

    /// <summary>
    /// Whether a NONE method's Authorization header must be a SigV4 signature: through an endpoint with a custom policy
    /// API Gateway evaluates that policy for the signer, so any other value is refused (IncompleteSignatureException,
    /// InvalidSignatureException); without the header the caller is anonymous. With the default full-access policy (null
    /// here) the header is not read and goes to the integration as sent.
    /// </summary>
    private static bool ReadsAuthorizationForEndpointPolicy(HttpContext http, string authorizationType, Cloister.Policy.Policy? endpointPolicy) =>
        authorizationType == "NONE" && endpointPolicy is not null && http.Request.Headers.Authorization.ToString().Length > 0;

    private static GatewayError Denied(GatewayCatalog catalog, RequestState state, string methodArn, bool explicitDeny) =>
        GatewayError.AccessDenied(methodArn, catalog.Account.AccountId, explicitDeny, state.Caller?.UserArn ?? "anonymous");
}
