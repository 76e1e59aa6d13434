using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Api;
using Cloister.Model.Identifiers;
using Cloister.Templates.Mapping;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.OpenApi;

/// <summary>
/// Reads an OpenAPI 2.0 (Swagger) or 3.x body with API Gateway's <c>x-amazon-apigateway-*</c> extensions,
/// as API Gateway imports it: paths become resources, operations methods, the integration extension
/// the method's integration. Problems are reported at the node they concern.
/// </summary>
internal sealed partial class OpenApiImporter
{
    public const string IntegrationKey = "x-amazon-apigateway-integration";
    public const string AnyMethod = "x-amazon-apigateway-any-method";

    private static readonly ImmutableHashSet<string> HttpMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal, "get", "put", "post", "delete", "options", "head", "patch", AnyMethod);

    private static readonly ImmutableHashSet<string> GatewayResponseTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "ACCESS_DENIED", "API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR", "AUTHORIZER_FAILURE", "BAD_REQUEST_PARAMETERS",
        "BAD_REQUEST_BODY", "DEFAULT_4XX", "DEFAULT_5XX", "EXPIRED_TOKEN", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "INVALID_API_KEY",
        "INVALID_SIGNATURE", "MISSING_AUTHENTICATION_TOKEN", "QUOTA_EXCEEDED", "REQUEST_TOO_LARGE", "RESOURCE_NOT_FOUND", "THROTTLED",
        "UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE", "WAF_FILTERED");

    private readonly Action<Node, string, string> _problem;
    private readonly string _prefix;
    private readonly IdGenerator _ids;
    private readonly Dictionary<string, (string Id, string AuthorizationType)> _authorizers = new(StringComparer.Ordinal);
    private readonly List<Authorizer> _authorizerRecords = [];
    private readonly HashSet<string> _apiKeySchemes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _iamSchemes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestValidator> _validators = new(StringComparer.Ordinal);
    private string? _defaultValidator;

    /// <param name="problem">Records a problem: the node, the property path, the message.</param>
    /// <param name="prefix">The property path of the body, such as <c>Body</c> or <c>DefinitionBody</c>.</param>
    /// <param name="ids">Makes resource and authorizer ids.</param>
    public OpenApiImporter(Action<Node, string, string> problem, string prefix, IdGenerator ids)
    {
        _problem = problem;
        _prefix = prefix;
        _ids = ids;
    }

    /// <param name="body">The OpenAPI document.</param>
    /// <param name="tree">Receives the resources and methods.</param>
    /// <param name="apiId">The API's id, which references between its models name.</param>
    public ImportedApi Import(MapNode body, ApiTree tree, string apiId)
    {
        _apiId = apiId;
        var version = body.GetString("openapi") ?? body.GetString("swagger");
        var isV3 = body.GetString("openapi") is not null;
        if (version is null || !(version.StartsWith("2.", StringComparison.Ordinal) || version.StartsWith("3.", StringComparison.Ordinal)))
        {
            Problem(body, string.Empty, "An API body must be OpenAPI 2.0 ('swagger: \"2.0\"') or 3.x ('openapi: 3.0.1').");
        }

        ReadSecuritySchemes(body, isV3);
        ReadValidators(body);
        ReadModels(body, isV3);
        ReadSharedParameters(body, isV3);
        if (body.Get("paths") is MapNode paths)
        {
            foreach (var path in paths.Entries)
            {
                ReadPath(path, tree, body);
            }
        }
        else
        {
            Problem(body, "paths", "An API body needs 'paths'.");
        }

        var endpoint = body.Get("x-amazon-apigateway-endpoint-configuration") as MapNode;
        var policy = body.Get("x-amazon-apigateway-policy") switch
        {
            null => null,
            ScalarNode s => s.Value,
            var node => NodeJson.Write(node),
        };
        return new ImportedApi(
            (body.Get("info") as MapNode)?.GetString("title"),
            tree.Build(),
            policy,
            Strings(endpoint?.Get("vpcEndpointIds")),
            ReadGatewayResponses(body),
            Strings(body.Get("x-amazon-apigateway-binary-media-types")),
            ReadApiKeySource(body),
            [.. _authorizerRecords],
            [.. _validators.Values],
            [.. _models])
        {
            DisableExecuteApiEndpoint = ReadDisableExecuteApiEndpoint(endpoint),
        };
    }

    private bool? ReadDisableExecuteApiEndpoint(MapNode? endpoint)
    {
        if (endpoint?.Get("disableExecuteApiEndpoint") is not { } node)
        {
            return null;
        }

        if (node is ScalarNode scalar && bool.TryParse(scalar.Value, out var disabled))
        {
            return disabled;
        }

        Problem(node, "x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint", "must be true or false.");
        return null;
    }

    private void Problem(Node at, string path, string message) =>
        _problem(at, path.Length == 0 ? _prefix : $"{_prefix}.{path}", message);

    private void ReadPath(MapEntry path, ApiTree tree, MapNode body)
    {
        if (!path.Key.StartsWith('/'))
        {
            Problem(path.Value, $"paths.{path.Key}", "A path must start with '/'.");
            return;
        }

        if (path.Value is not MapNode operations)
        {
            Problem(path.Value, $"paths.{path.Key}", "A path item must be a map of operations.");
            return;
        }

        var resourceId = tree.Ensure(path.Key);
        var shared = Parameters(operations.Get("parameters"), $"paths.{path.Key}.parameters");
        foreach (var operation in operations.Entries)
        {
            if (operation.Key is "parameters" or "summary" or "description" or "servers" || operation.Key.StartsWith("x-", StringComparison.Ordinal) && operation.Key != AnyMethod)
            {
                continue;
            }

            var where = $"paths.{path.Key}.{operation.Key}";
            if (!HttpMethods.Contains(operation.Key))
            {
                Problem(operation.Value, where, $"'{operation.Key}' is not an HTTP method API Gateway accepts.");
                continue;
            }

            if (operation.Value is not MapNode method)
            {
                Problem(operation.Value, where, "An operation must be a map.");
                continue;
            }

            tree.AddMethod(resourceId, ReadMethod(operation.Key == AnyMethod ? "ANY" : operation.Key.ToUpperInvariant(), method, shared, where, body));
        }
    }

    private ApiMethod ReadMethod(string httpMethod, MapNode method, ImmutableDictionary<string, bool> shared, string where, MapNode body)
    {
        var authorizationType = "NONE";
        string? authorizerId = null;
        var apiKeyRequired = false;
        var security = method.Get("security") ?? body.Get("security");
        foreach (var requirement in NodeFactory.Items(security).OfType<MapNode>())
        {
            foreach (var scheme in requirement.Entries)
            {
                if (_authorizers.TryGetValue(scheme.Key, out var authorizer))
                {
                    authorizationType = authorizer.AuthorizationType;
                    authorizerId = authorizer.Id;
                }
                else if (_apiKeySchemes.Contains(scheme.Key))
                {
                    apiKeyRequired = true;
                }
                else if (_iamSchemes.Contains(scheme.Key))
                {
                    authorizationType = "AWS_IAM";
                }
                else
                {
                    Problem(scheme.Value, $"{where}.security", $"'{scheme.Key}' is not a security scheme of this API.");
                }
            }
        }

        var validatorName = _defaultValidator;
        if (method.GetString("x-amazon-apigateway-request-validator") is { } validator)
        {
            validatorName = validator;
            if (!_validators.ContainsKey(validator))
            {
                Problem(method.Get("x-amazon-apigateway-request-validator")!, $"{where}.x-amazon-apigateway-request-validator", $"'{validator}' is not in x-amazon-apigateway-request-validators.");
            }
        }

        var parameters = shared.SetItems(Parameters(method.Get("parameters"), $"{where}.parameters"));
        Integration? integration = null;
        if (method.Get(IntegrationKey) is MapNode integrationNode)
        {
            integration = ReadIntegration(integrationNode, $"{where}.{IntegrationKey}");
        }
        else
        {
            Problem(method, where, $"The method has no {IntegrationKey}; API Gateway refuses to deploy a method without an integration.");
        }

        return new ApiMethod(httpMethod, authorizationType, authorizerId, apiKeyRequired, parameters, integration)
        {
            RequestValidatorId = validatorName is not null && _validators.TryGetValue(validatorName, out var v) ? v.Id : null,
            RequestModels = RequestModels(method, body, where),
        };
    }

    private Integration ReadIntegration(MapNode node, string where)
    {
        var typeText = node.GetString("type")?.ToLowerInvariant();
        IntegrationType? type = typeText switch
        {
            "aws_proxy" => IntegrationType.AwsProxy,
            "aws" => IntegrationType.Aws,
            "http" => IntegrationType.Http,
            "http_proxy" => IntegrationType.HttpProxy,
            "mock" => IntegrationType.Mock,
            _ => null,
        };
        if (type is null)
        {
            Problem(node.Get("type") ?? node, $"{where}.type", $"'{typeText}' is not aws, aws_proxy, http, http_proxy or mock.");
        }

        var uri = node.GetString("uri");
        if (uri is null && type is not (IntegrationType.Mock or null))
        {
            Problem(node, $"{where}.uri", "is required for this integration type.");
        }

        var httpMethod = node.GetString("httpMethod");
        if (type == IntegrationType.AwsProxy && httpMethod is not null && !string.Equals(httpMethod, "POST", StringComparison.OrdinalIgnoreCase))
        {
            Problem(node.Get("httpMethod")!, $"{where}.httpMethod", "A Lambda proxy integration calls Lambda with POST.");
        }

        var timeout = Model.Api.Integration.DefaultTimeoutInMillis;
        if (node.GetString("timeoutInMillis") is { } timeoutText
            && (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout is < 50 or > 29_000))
        {
            Problem(node.Get("timeoutInMillis")!, $"{where}.timeoutInMillis", $"'{timeoutText}' is not between 50 and 29000 milliseconds.");
            timeout = Model.Api.Integration.DefaultTimeoutInMillis;
        }

        var responses = ImmutableArray.CreateBuilder<IntegrationResponse>();
        foreach (var response in (node.Get("responses") as MapNode)?.Entries ?? [])
        {
            if (response.Value is not MapNode r)
            {
                continue;
            }

            responses.Add(new IntegrationResponse(
                r.GetString("statusCode") ?? "200",
                response.Key == "default" ? null : response.Key,
                StringMap(r.Get("responseParameters")),
                StringMap(r.Get("responseTemplates")))
            { ContentHandling = ContentHandlingOf(r, $"{where}.responses.{response.Key}.contentHandling") });
        }

        return new Integration(
            type ?? IntegrationType.Mock,
            httpMethod?.ToUpperInvariant(),
            uri,
            node.GetString("connectionType") ?? "INTERNET",
            node.GetString("connectionId"),
            timeout,
            StringMap(node.Get("requestParameters")),
            StringMap(node.Get("requestTemplates")),
            node.GetString("passthroughBehavior")?.ToUpperInvariant() ?? "WHEN_NO_MATCH",
            responses.ToImmutable())
        { Credentials = node.GetString("credentials"), ContentHandling = ContentHandlingOf(node, $"{where}.contentHandling") };
    }

    private ContentHandling ContentHandlingOf(MapNode node, string path)
    {
        var text = node.GetString("contentHandling");
        if (ContentHandlingValues.Parse(text) is { } handling)
        {
            return handling;
        }

        Problem(node.Get("contentHandling")!, path, $"'{text}' {ContentHandlingValues.Invalid}");
        return ContentHandling.Passthrough;
    }

    private ImmutableDictionary<string, bool> Parameters(Node? node, string where)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, bool>(StringComparer.Ordinal);
        foreach (var parameter in NodeFactory.Items(node).OfType<MapNode>().Select(p => ResolveParameter(p, where)).OfType<MapNode>())
        {
            var location = parameter.GetString("in") switch
            {
                "query" => "querystring",
                "path" => "path",
                "header" => "header",
                _ => null,
            };
            if (location is not null && parameter.GetString("name") is { } name)
            {
                builder[$"method.request.{location}.{name}"] = string.Equals(parameter.GetString("required"), "true", StringComparison.OrdinalIgnoreCase);
            }
        }

        return builder.ToImmutable();
    }

    private void ReadSecuritySchemes(MapNode body, bool isV3)
    {
        var schemes = isV3
            ? ((body.Get("components") as MapNode)?.Get("securitySchemes") as MapNode)
            : body.Get("securityDefinitions") as MapNode;
        foreach (var scheme in schemes?.Entries ?? [])
        {
            if (scheme.Value is not MapNode definition)
            {
                continue;
            }

            var authType = definition.GetString("x-amazon-apigateway-authtype");
            if (definition.Get("x-amazon-apigateway-authorizer") is MapNode authorizer)
            {
                var type = authorizer.GetString("type")?.ToLowerInvariant();
                if (type is not ("token" or "request" or "cognito_user_pools"))
                {
                    Problem(authorizer, $"securitySchemes.{scheme.Key}.x-amazon-apigateway-authorizer.type", $"'{type}' is not token, request or cognito_user_pools.");
                }
                else if (type != "cognito_user_pools" && authorizer.GetString("authorizerUri") is null)
                {
                    Problem(authorizer, $"securitySchemes.{scheme.Key}.x-amazon-apigateway-authorizer.authorizerUri", "is required for a Lambda authorizer.");
                }

                var id = _ids.Next(IdKind.Authorizer);
                _authorizers[scheme.Key] = (id, type == "cognito_user_pools" ? "COGNITO_USER_POOLS" : "CUSTOM");
                _authorizerRecords.Add(ReadAuthorizer(id, scheme.Key, definition, authorizer, type));
            }
            else if (string.Equals(authType, "awsSigv4", StringComparison.OrdinalIgnoreCase))
            {
                _iamSchemes.Add(scheme.Key);
            }
            else if (definition.GetString("type") == "apiKey")
            {
                _apiKeySchemes.Add(scheme.Key);
            }
        }
    }

    /// <summary>An <c>x-amazon-apigateway-authorizer</c>; its API id is filled in by the caller. A TOKEN authorizer without identitySource reads the scheme's header.</summary>
    private Authorizer ReadAuthorizer(string id, string name, MapNode scheme, MapNode authorizer, string? type)
    {
        var ttl = Authorizer.DefaultResultTtlInSeconds;
        if (authorizer.GetString("authorizerResultTtlInSeconds") is { } ttlText
            && (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out ttl) || ttl > 3600))
        {
            Problem(authorizer.Get("authorizerResultTtlInSeconds")!, $"securitySchemes.{name}.x-amazon-apigateway-authorizer.authorizerResultTtlInSeconds", $"'{ttlText}' is not between 0 and 3600.");
            ttl = Authorizer.DefaultResultTtlInSeconds;
        }

        var identitySource = authorizer.GetString("identitySource");
        if (identitySource is null && type == "token" && scheme.GetString("in") == "header" && scheme.GetString("name") is { } header)
        {
            identitySource = "method.request.header." + header;
        }

        return new Authorizer(
            id,
            name,
            string.Empty,
            name,
            type switch { "request" => AuthorizerType.Request, "cognito_user_pools" => AuthorizerType.CognitoUserPools, _ => AuthorizerType.Token },
            identitySource,
            authorizer.GetString("identityValidationExpression"),
            ttl,
            authorizer.GetString("authorizerUri"),
            authorizer.GetString("authorizerCredentials"),
            Strings(authorizer.Get("providerARNs")));
    }

    private ImmutableArray<GatewayResponse> ReadGatewayResponses(MapNode body)
    {
        var responses = ImmutableArray.CreateBuilder<GatewayResponse>();
        foreach (var entry in (body.Get("x-amazon-apigateway-gateway-responses") as MapNode)?.Entries ?? [])
        {
            if (!GatewayResponseTypes.Contains(entry.Key))
            {
                Problem(entry.Value, $"x-amazon-apigateway-gateway-responses.{entry.Key}", $"'{entry.Key}' is not a gateway response type.");
                continue;
            }

            var response = entry.Value as MapNode;
            responses.Add(new GatewayResponse(entry.Key, response?.GetString("statusCode"), StringMap(response?.Get("responseParameters")), StringMap(response?.Get("responseTemplates"))));
        }

        return responses.ToImmutable();
    }

    private string? ReadApiKeySource(MapNode body)
    {
        var source = body.GetString("x-amazon-apigateway-api-key-source");
        if (source is not null and not ("HEADER" or "AUTHORIZER"))
        {
            Problem(body.Get("x-amazon-apigateway-api-key-source")!, "x-amazon-apigateway-api-key-source", $"'{source}' is not HEADER or AUTHORIZER.");
            return null;
        }

        return source;
    }

    private static ImmutableDictionary<string, string> StringMap(Node? node) =>
        (node as MapNode)?.Entries.Where(e => e.Value is ScalarNode).ToImmutableDictionary(e => e.Key, e => ((ScalarNode)e.Value).Value, StringComparer.Ordinal)
        ?? ImmutableDictionary<string, string>.Empty;

    private static ImmutableArray<string> Strings(Node? node) => [.. NodeFactory.Items(node).OfType<ScalarNode>().Select(s => s.Value)];
}
