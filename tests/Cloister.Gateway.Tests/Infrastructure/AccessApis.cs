using System.Collections.Immutable;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>Models with API keys, usage plans and authorizers for the access-control tests.</summary>
public static class AccessApis
{
    public const string KeyValue = "cloister-test-key-value-0001";
    public const string OtherKeyValue = "cloister-test-key-value-0002";
    public const string PlanId = "plan01";
    public const string AuthorizerId = "auth01";
    public const string AuthorizerFunction = "authorizer";
    public const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";

    /// <summary>An API whose <c>GET /pets</c> and <c>GET /toys</c> echo their event, with the given method settings.</summary>
    public static RestApi EchoApi(string? policy = Allow, string authorization = "NONE", string? authorizerId = null, bool apiKeyRequired = false, string apiKeySource = "HEADER") =>
        Api(
            policy,
            Resource("res0000001", "/pets", Method("GET", LambdaProxy("echo")) with { AuthorizationType = authorization, AuthorizerId = authorizerId, ApiKeyRequired = apiKeyRequired }),
            Resource("res0000002", "/toys", Method("GET", LambdaProxy("echo")) with { AuthorizationType = authorization, AuthorizerId = authorizerId, ApiKeyRequired = apiKeyRequired }))
        with
        { ApiKeySource = apiKeySource };

    public static UsagePlan Plan(ThrottleSettings? throttle = null, QuotaSettings? quota = null, ImmutableDictionary<string, ThrottleSettings>? methods = null) =>
        new(PlanId, "Plan", "plan", [new UsagePlanApiStage(ApiId, "dev", methods ?? ImmutableDictionary<string, ThrottleSettings>.Empty)], throttle, quota);

    /// <summary>The model of <paramref name="api"/> at stage dev, with key 1 (enabled, in the plan), key 2 (enabled, in no plan) and a disabled key 3 in the plan.</summary>
    public static GatewayModel WithPlan(RestApi api, UsagePlan plan, params MethodSetting[] settings)
    {
        var model = ModelOf(api);
        return model with
        {
            Stages = [.. model.Stages.Select(s => s with { MethodSettings = [.. settings] })],
            ApiKeys =
            [
                new ApiKey("key0000001", "Key1", "key1", KeyValue, true),
                new ApiKey("key0000002", "Key2", "key2", OtherKeyValue, true),
                new ApiKey("key0000003", "Key3", "key3", "cloister-disabled-key-0003", false),
            ],
            UsagePlans = [plan],
            UsagePlanKeys = [new UsagePlanKey("key0000001", "PlanKey1", "key0000001", plan.Id), new UsagePlanKey("key0000003", "PlanKey3", "key0000003", plan.Id)],
        };
    }

    public static Authorizer Authorizer(AuthorizerType type, string? identitySource, int ttl = 300, string? validation = null) =>
        new(AuthorizerId, "Auth", ApiId, "auth", type, identitySource, validation, ttl, Fakes.InProcessLambda.IntegrationUri(AuthorizerFunction), null, []);

    /// <summary>The output of an authorizer allowing or denying <paramref name="resource"/>.</summary>
    public static string AuthorizerOutput(string effect, string resource, string principalId = "user-42", string context = """{"tenant":"acme","level":3,"admin":true}""", string? usageIdentifierKey = null) =>
        $$"""{"principalId":"{{principalId}}","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"{{effect}}","Resource":"{{resource}}"}]},"context":{{context}}{{(usageIdentifierKey is null ? "" : $",\"usageIdentifierKey\":\"{usageIdentifierKey}\"")}}}""";

    public static string MethodArn(string path) => $"arn:aws:execute-api:{Region}:{Account}:{ApiId}/dev/GET/{path}";
}
