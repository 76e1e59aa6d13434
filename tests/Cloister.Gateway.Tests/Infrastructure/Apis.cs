using System.Collections.Immutable;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Model.Compute;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>Short ways to write the REST APIs tests serve.</summary>
public static class Apis
{
    public const string ApiId = "a1b2c3d4e5";
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public const string VpceA = "vpce-0aaaaaaaaaaaaaaaa";
    public const string VpcA = "vpc-0aaaaaaaaaaaaaaaa";
    public const string VpceB = "vpce-0bbbbbbbbbbbbbbbb";
    public const string VpcB = "vpc-0bbbbbbbbbbbbbbbb";

    public static string PrivateHost(string apiId = ApiId) => $"{apiId}.execute-api.{Region}.amazonaws.com";

    public static string AllowFrom(string vpce) =>
        $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"{{{{vpce}}}}"}}}]}""";

    public static ApiMethod Method(string verb, Integration? integration) =>
        new(verb, "NONE", null, false, ImmutableDictionary<string, bool>.Empty, integration);

    public static ApiResource Resource(string id, string path, params ApiMethod[] methods)
    {
        var part = path == "/" ? string.Empty : path[(path.LastIndexOf('/') + 1)..];
        return new ApiResource(id, path == "/" ? null : "root000000", part, path, [.. methods]);
    }

    public static Integration LambdaProxy(string function, int timeoutInMillis = Integration.DefaultTimeoutInMillis) =>
        new(IntegrationType.AwsProxy, "POST", InProcessLambda.IntegrationUri(function), "INTERNET", null, timeoutInMillis,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", []);

    public static Integration Mock(string requestTemplate, params IntegrationResponse[] responses) =>
        new(IntegrationType.Mock, null, null, "INTERNET", null, Integration.DefaultTimeoutInMillis,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty.Add("application/json", requestTemplate), "WHEN_NO_MATCH", [.. responses]);

    public static Integration Http(IntegrationType type, string method, string uri, int timeoutInMillis, ImmutableDictionary<string, string> requestParameters, params IntegrationResponse[] responses) =>
        new(type, method, uri, "INTERNET", null, timeoutInMillis, requestParameters, ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", [.. responses]);

    public static IntegrationResponse Response(string status, string? pattern, string? template = null, params (string Header, string Source)[] headers) =>
        new(status, pattern,
            headers.ToImmutableDictionary(h => "method.response.header." + h.Header, h => h.Source),
            template is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.Add("application/json", template));

    public static RestApi Api(string? policy, params ApiResource[] resources) => Api(ApiId, policy, resources);

    public static RestApi Api(string id, string? policy, params ApiResource[] resources)
    {
        var root = resources.FirstOrDefault(r => r.Path == "/") ?? Resource("root000000", "/");
        return new RestApi(id, "Api", "test", EndpointType.Private, [], policy, [root, .. resources.Where(r => r.Path != "/")], [], "HEADER", []);
    }

    /// <summary>A model serving each API at stage <c>dev</c> from one deployment, with endpoints A and B.</summary>
    public static GatewayModel ModelOf(params RestApi[] apis) => ModelOf(apis, ImmutableDictionary<string, string>.Empty);

    public static GatewayModel ModelOf(RestApi[] apis, ImmutableDictionary<string, string> variables, AccessLogSetting? accessLog = null, string? endpointPolicyA = null)
    {
        var deployments = apis.Select((a, i) => new Deployment($"dep{i:D7}", "Deployment", a.Id, a, DateTimeOffset.UnixEpoch)).ToImmutableArray();
        var stages = apis.Select((a, i) => new Stage("Stage", a.Id, "dev", $"dep{i:D7}", variables, [], accessLog)).ToImmutableArray();
        return new GatewayModel(
            new Cloister.Model.AccountContext(Account, Region),
            [.. apis],
            deployments,
            stages,
            [Endpoint(VpceA, VpcA, endpointPolicyA), Endpoint(VpceB, VpcB, null)]);
    }

    /// <summary>
    /// <paramref name="model"/> with every Lambda function its integrations and authorizers name, each letting API Gateway
    /// invoke it from any API (a permission without SourceArn): what tests that are not about Lambda permissions need.
    /// </summary>
    public static GatewayModel PermittingApiGateway(GatewayModel model)
    {
        var uris = model.Apis.SelectMany(a => a.Resources).SelectMany(r => r.Methods).Select(m => m.Integration?.Uri)
            .Concat(model.Authorizers.Select(a => a.AuthorizerUri));
        var names = uris.OfType<string>().Select(Cloister.Gateway.Integrations.LambdaIntegration.FunctionArn).OfType<string>()
            .Select(Cloister.Gateway.Lambda.FunctionsLambdaInvoker.FunctionName).Distinct(StringComparer.Ordinal);
        return model with { Functions = [.. names.Select(n => Function(n, new PermissionStatement("Any", "lambda:InvokeFunction", "apigateway.amazonaws.com", null, null)))] };
    }

    /// <summary>A function of that name holding <paramref name="permissions"/> (the gateway reads only its name and permissions).</summary>
    public static LambdaFunction Function(string name, params PermissionStatement[] permissions) =>
        new(name, name, "provided.al2023", null, null, null, LambdaFunction.DefaultMemorySize, LambdaFunction.DefaultTimeoutSeconds,
            ImmutableDictionary<string, string>.Empty, null, null)
        { Permissions = [.. permissions] };

    private static Cloister.Model.Network.VpcEndpoint Endpoint(string id, string vpc, string? policy) =>
        new(id, "Endpoint", vpc, $"com.amazonaws.{Region}.execute-api", Cloister.Model.Network.VpcEndpointType.Interface, [], [], [], true, policy, []);
}
