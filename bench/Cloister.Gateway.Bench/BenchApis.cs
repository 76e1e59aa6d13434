using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Compute;
using Cloister.Model.Network;

namespace Cloister.Gateway.Bench;

/// <summary>
/// The benchmark's model: one private API with a MOCK <c>GET /health</c> and an AWS_PROXY <c>GET /fn</c>, an
/// allow-all-from-the-endpoint policy; and the same MOCK behind access control: <c>GET /throttled</c> (API key,
/// usage plan throttle and quota, stage method throttle) and <c>GET /authorized</c> (a TOKEN authorizer, cached).
/// </summary>
internal static class BenchApis
{
    public const string ApiId = "bench00001";
    public const string Vpce = "vpce-0bench00000000001";
    public const string Vpc = "vpc-0bench000000000001";
    public const string Host = ApiId + ".execute-api.us-east-1.amazonaws.com";
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:bench";
    public const string AuthorizerArn = "arn:aws:lambda:us-east-1:123456789012:function:bench-authorizer";
    public const string ApiKeyValue = "bench-api-key-00000000000001";

    /// <summary>Limits no benchmark reaches: the throttles are taken on every request but never refuse one.</summary>
    public static readonly ThrottleSettings Unreachable = new(1e9, 1_000_000_000);

    public static GatewayModel Model()
    {
        var empty = ImmutableDictionary<string, string>.Empty;
        var mock = new Integration(IntegrationType.Mock, null, null, "INTERNET", null, 29_000, empty, empty.Add("application/json", "{\"statusCode\": 200}"), "WHEN_NO_MATCH",
            [new IntegrationResponse("200", null, empty, empty.Add("application/json", "{\"ok\":true}"))]);
        var proxy = new Integration(IntegrationType.AwsProxy, "POST", $"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FunctionArn}/invocations", "INTERNET", null, 29_000,
            empty, empty, "WHEN_NO_MATCH", []);
        ApiMethod Get(Integration integration) => new("GET", "NONE", null, false, ImmutableDictionary<string, bool>.Empty, integration);
        var policy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"{{{{Vpce}}}}"}}}]}""";
        var api = new RestApi(ApiId, "Api", "bench", EndpointType.Private, [], policy,
            [
                new ApiResource("root000000", null, string.Empty, "/", []),
                new ApiResource("health0000", "root000000", "health", "/health", [Get(mock)]),
                new ApiResource("fn00000000", "root000000", "fn", "/fn", [Get(proxy)]),
                new ApiResource("throttled0", "root000000", "throttled", "/throttled", [Get(mock) with { ApiKeyRequired = true }]),
                new ApiResource("authorized", "root000000", "authorized", "/authorized", [Get(mock) with { AuthorizationType = "CUSTOM", AuthorizerId = "auth01" }]),
            ], [], "HEADER", []);
        return new GatewayModel(
            new AccountContext("123456789012", "us-east-1"),
            [api],
            [new Deployment("dep0000001", "Deployment", ApiId, api, DateTimeOffset.UnixEpoch)],
            [new Stage("Stage", ApiId, "dev", "dep0000001", empty, [new MethodSetting("/~1throttled", "GET", Unreachable.RateLimit, Unreachable.BurstLimit)], null)],
            [new VpcEndpoint(Vpce, "Endpoint", Vpc, "com.amazonaws.us-east-1.execute-api", VpcEndpointType.Interface, [], [], [], true, null, [])])
        {
            ApiKeys = [new ApiKey("benchkey01", "Key", "bench", ApiKeyValue, true)],
            UsagePlans = [new UsagePlan("plan01", "Plan", "bench", [new UsagePlanApiStage(ApiId, "dev", ImmutableDictionary<string, ThrottleSettings>.Empty)], Unreachable, new QuotaSettings(int.MaxValue, QuotaPeriod.Month, 0))],
            UsagePlanKeys = [new UsagePlanKey("benchkey01", "PlanKey", "benchkey01", "plan01")],
            Authorizers = [new Authorizer("auth01", "Auth", ApiId, "bench", AuthorizerType.Token, "method.request.header.Authorization", null, 3600,
                $"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AuthorizerArn}/invocations", null, [])],
            Functions = [Function(FunctionArn, $"arn:aws:execute-api:us-east-1:123456789012:{ApiId}/*/GET/fn"), Function(AuthorizerArn, $"arn:aws:execute-api:us-east-1:123456789012:{ApiId}/authorizers/auth01")],
        };
    }

    /// <summary>The function of <paramref name="arn"/>, letting API Gateway invoke it for <paramref name="sourceArn"/> (as SAM's permissions do).</summary>
    private static LambdaFunction Function(string arn, string sourceArn)
    {
        var name = arn[(arn.LastIndexOf(':') + 1)..];
        return new LambdaFunction(name, name, "provided.al2023", null, null, null, LambdaFunction.DefaultMemorySize, LambdaFunction.DefaultTimeoutSeconds,
            ImmutableDictionary<string, string>.Empty, null, null)
        {
            Permissions = [new PermissionStatement("Invoke", "lambda:InvokeFunction", "apigateway.amazonaws.com", sourceArn, null)],
        };
    }

    /// <summary>A self-signed server certificate; wrk and the latency client do not verify it.</summary>
    public static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("*.execute-api.us-east-1.amazonaws.com");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
