using System.Collections.Frozen;
using Cloister.Gateway.Authorizers;
using Cloister.Gateway.Signing;
using Cloister.Gateway.Throttling;
using Cloister.Model;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// The access-control part of a catalog version, compiled once per model: API keys by value with their usage plan
/// limits, authorizers, stage and method throttles, the account throttle and the credentials SigV4 is checked
/// against. Buckets and quota counters come from the long-lived <see cref="ThrottleState"/>.
/// </summary>
internal sealed class AccessCatalog
{
    /// <summary>API Gateway's account-level throttle in a region: 10,000 requests a second, burst 5,000.</summary>
    public static readonly ThrottleSettings AccountDefault = new(10_000, 5_000);

    private AccessCatalog(
        FrozenDictionary<string, CompiledApiKey> keysByValue,
        FrozenDictionary<(string ApiId, string AuthorizerId), CompiledAuthorizer> authorizers,
        FrozenDictionary<(string ApiId, string Stage), FrozenDictionary<(string Path, string Method), TokenBucket>> methodThrottles,
        Func<string, GatewayCredential?> credentials,
        TokenBucket account)
    {
        KeysByValue = keysByValue;
        Authorizers = authorizers;
        MethodThrottles = methodThrottles;
        Credentials = credentials;
        Account = account;
    }

    /// <summary>Keys by their value, as sent in <c>x-api-key</c>.</summary>
    public FrozenDictionary<string, CompiledApiKey> KeysByValue { get; }

    /// <summary>Authorizers by API and authorizer id.</summary>
    public FrozenDictionary<(string ApiId, string AuthorizerId), CompiledAuthorizer> Authorizers { get; }

    /// <summary>Stage and method throttles (from the stage's MethodSettings) by API and stage, then resource path and method. Tuple keys: no allocation per request.</summary>
    public FrozenDictionary<(string ApiId, string Stage), FrozenDictionary<(string Path, string Method), TokenBucket>> MethodThrottles { get; }

    /// <summary>The credential signing with an access key id; null for a key the gateway cannot check.</summary>
    public Func<string, GatewayCredential?> Credentials { get; }

    /// <summary>The account-level bucket every request takes from.</summary>
    public TokenBucket Account { get; }

    public static AccessCatalog Build(GatewayModel model, ThrottleState throttles, ThrottleSettings account, IReadOnlyList<GatewayCredential> credentials, Func<string, Cloister.Policy.CallerIdentity?>? callers = null)
    {
        var listed = (credentials.Count > 0 ? credentials : [GatewayCredential.FromSandbox(SandboxCredentials.Default, model.Account)])
            .DistinctBy(c => c.AccessKeyId, StringComparer.Ordinal)
            .ToFrozenDictionary(c => c.AccessKeyId, StringComparer.Ordinal);
        var accountRate = account.RateLimit ?? AccountDefault.RateLimit!.Value;
        var accountBurst = account.BurstLimit ?? AccountDefault.BurstLimit!.Value;
        return new AccessCatalog(
            CompileKeys(model, throttles, accountRate, accountBurst),
            (model.Authorizers.IsDefault ? [] : model.Authorizers).ToFrozenDictionary(a => (a.RestApiId, a.Id), CompiledAuthorizer.Compile),
            CompileMethodThrottles(model, throttles, accountRate, accountBurst),
            callers is null ? listed.GetValueOrDefault : key => callers(key) is { } caller ? GatewayCredential.Of(key, caller) : null,
            throttles.Bucket("account", accountRate, accountBurst));
    }

    /// <summary>A usage plan's method key <c>/{resourcePath}/{METHOD}</c> (such as <c>/pets/GET</c>, or <c>//GET</c> for the root) as a path and method.</summary>
    public static (string Path, string Method) ParseMethodKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var path = slash <= 0 ? "/" : key[..slash];
        return (path.Length > 1 && path.StartsWith("//", StringComparison.Ordinal) ? path[1..] : path, key[(slash + 1)..].ToUpperInvariant());
    }

    private static FrozenDictionary<string, CompiledApiKey> CompileKeys(GatewayModel model, ThrottleState throttles, double accountRate, int accountBurst)
    {
        var plans = (model.UsagePlans.IsDefault ? [] : model.UsagePlans).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var planKeys = (model.UsagePlanKeys.IsDefault ? [] : model.UsagePlanKeys).ToLookup(k => k.KeyId, StringComparer.Ordinal);
        var keys = new Dictionary<string, CompiledApiKey>(StringComparer.Ordinal);
        foreach (var key in model.ApiKeys.IsDefault ? [] : model.ApiKeys)
        {
            var limits = new Dictionary<(string, string), PlanLimits>();
            foreach (var membership in planKeys[key.Id])
            {
                if (!plans.TryGetValue(membership.UsagePlanId, out var plan))
                {
                    continue;
                }

                var prefix = $"plan/{plan.Id}/{key.Id}";
                var keyBucket = plan.Throttle is { } t ? throttles.Bucket(prefix, t.RateLimit ?? accountRate, t.BurstLimit ?? accountBurst) : null;
                var quota = plan.Quota is { } q ? throttles.Quota(prefix, q) : null;
                foreach (var stage in plan.ApiStages.IsDefault ? [] : plan.ApiStages)
                {
                    var methods = (stage.MethodThrottles ?? []).ToFrozenDictionary(
                        m => ParseMethodKey(m.Key),
                        m => throttles.Bucket($"{prefix}/{stage.ApiId}/{stage.Stage}{m.Key}", m.Value.RateLimit ?? accountRate, m.Value.BurstLimit ?? accountBurst));

                    // API Gateway lets a key be in one plan per API stage; the first one found is kept.
                    limits.TryAdd((stage.ApiId, stage.Stage), new PlanLimits(plan.Id, keyBucket, methods, quota));
                }
            }

            keys.TryAdd(key.Value, new CompiledApiKey(key, limits.ToFrozenDictionary()));
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<(string, string), FrozenDictionary<(string, string), TokenBucket>> CompileMethodThrottles(GatewayModel model, ThrottleState throttles, double accountRate, int accountBurst)
    {
        var deployments = (model.Deployments.IsDefault ? [] : model.Deployments).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var stages = new Dictionary<(string, string), FrozenDictionary<(string, string), TokenBucket>>();
        foreach (var stage in model.Stages.IsDefault ? [] : model.Stages)
        {
            if (stage.MethodSettings.IsDefaultOrEmpty || !deployments.TryGetValue(stage.DeploymentId, out var deployment))
            {
                continue;
            }

            var buckets = new Dictionary<(string, string), TokenBucket>();
            foreach (var resource in deployment.Snapshot.Resources)
            {
                foreach (var method in resource.Methods)
                {
                    if (MethodSettings.For(stage.MethodSettings, resource.Path, method.HttpMethod) is { } setting)
                    {
                        buckets[(resource.Path, method.HttpMethod)] = throttles.Bucket(
                            $"stage/{stage.RestApiId}/{stage.StageName}{resource.Path}/{method.HttpMethod}",
                            setting.ThrottlingRateLimit ?? accountRate,
                            setting.ThrottlingBurstLimit ?? accountBurst);
                    }
                }
            }

            stages[(stage.RestApiId, stage.StageName)] = buckets.ToFrozenDictionary();
        }

        return stages.ToFrozenDictionary();
    }
}
