using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// The access-control part of a SAM API's <c>Auth</c>, written into the OpenAPI body as SAM writes it: Lambda
/// <c>Authorizers</c> (TOKEN and REQUEST, with <c>FunctionArn</c> and <c>Identity</c>) as security schemes,
/// <c>DefaultAuthorizer</c> and <c>ApiKeyRequired</c> as every method's security, and <c>UsagePlan</c> with
/// <c>CreateUsagePlan: PER_API</c> as a usage plan, an API key and the key's membership.
/// </summary>
internal static class SamApiAuth
{
    /// <summary>The Auth properties handled here (ResourcePolicy is <see cref="SamResourcePolicy"/>'s).</summary>
    public static readonly ImmutableHashSet<string> Handled = ImmutableHashSet.Create(
        StringComparer.Ordinal, "ResourcePolicy", "Authorizers", "DefaultAuthorizer", "ApiKeyRequired", "UsagePlan", "AddDefaultAuthorizerToCorsPreflight");

    private const string ApiKeyScheme = "api_key";

    public static MapNode Apply(SamContext context, string id, MapNode auth, MapNode body)
    {
        var at = auth.Location;
        var schemes = new List<MapEntry>();
        foreach (var authorizer in (auth.Get("Authorizers") as MapNode)?.Entries ?? [])
        {
            if (Scheme(context, id, authorizer) is { } scheme)
            {
                schemes.Add(scheme);
            }
        }

        var apiKeyRequired = auth.GetString("ApiKeyRequired") is { } required && string.Equals(required, "true", StringComparison.OrdinalIgnoreCase);
        if (apiKeyRequired)
        {
            schemes.Add(new MapEntry(ApiKeyScheme, at, NodeFactory.Map(at, ("type", NodeFactory.Str("apiKey", at)), ("name", NodeFactory.Str("x-api-key", at)), ("in", NodeFactory.Str("header", at)))));
        }

        if (schemes.Count == 0 && auth.Get("DefaultAuthorizer") is null)
        {
            return body;
        }

        var isV3 = body.GetString("openapi") is not null;
        body = isV3
            ? body.With("components", (body.Get("components") as MapNode ?? new MapNode([], at)).With("securitySchemes", Merge(body.Get("components") is MapNode c ? c.Get("securitySchemes") : null, schemes, at)))
            : body.With("securityDefinitions", Merge(body.Get("securityDefinitions"), schemes, at));

        var defaultAuthorizer = auth.GetString("DefaultAuthorizer");
        if (defaultAuthorizer is not null && defaultAuthorizer != "AWS_IAM" && !schemes.Exists(s => s.Key == defaultAuthorizer))
        {
            context.Problem(id, "Properties.Auth.DefaultAuthorizer", $"'{defaultAuthorizer}' is not one of Auth.Authorizers.", at);
            defaultAuthorizer = null;
        }

        var requirements = new List<Node>();
        if (defaultAuthorizer == "AWS_IAM")
        {
            body = body.With(isV3 ? "components" : "securityDefinitions", isV3
                ? (body.Get("components") as MapNode)!.With("securitySchemes", Merge((body.Get("components") as MapNode)!.Get("securitySchemes"), [Sigv4(at)], at))
                : Merge(body.Get("securityDefinitions"), [Sigv4(at)], at));
            requirements.Add(NodeFactory.Map(at, ("AWS_IAM", NodeFactory.List(at))));
        }
        else if (defaultAuthorizer is not null)
        {
            requirements.Add(NodeFactory.Map(at, (defaultAuthorizer, NodeFactory.List(at))));
        }

        if (apiKeyRequired)
        {
            requirements.Add(NodeFactory.Map(at, (ApiKeyScheme, NodeFactory.List(at))));
        }

        return requirements.Count == 0 ? body : WithSecurity(body, requirements);
    }

    /// <summary>
    /// SAM's <c>{Api}{Authorizer}AuthorizerPermission</c> for each Lambda authorizer (one with <c>FunctionArn</c>): lets
    /// API Gateway invoke the function for any authorizer of the API (<c>.../{api-id}/authorizers/*</c>), as SAM's
    /// <c>ApiGenerator._get_permission</c> writes it, with the API's <c>Condition</c>.
    /// </summary>
    public static void AddAuthorizerPermissions(string id, MapNode auth, MapNode? resource, ImmutableArray<MapEntry>.Builder output)
    {
        foreach (var authorizer in (auth.Get("Authorizers") as MapNode)?.Entries ?? [])
        {
            if (authorizer.Value is not MapNode a || a.Get("FunctionArn") is not { } function)
            {
                continue;
            }

            var at = authorizer.KeyLocation;
            var sourceArn = NodeFactory.Sub(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*",
                NodeFactory.Map(at, ("__ApiId__", NodeFactory.Ref(id, at))),
                at);
            var permission = NodeFactory.Map(
                at,
                ("Action", NodeFactory.Str("lambda:InvokeFunction", at)),
                ("FunctionName", function),
                ("Principal", NodeFactory.Str("apigateway.amazonaws.com", at)),
                ("SourceArn", sourceArn));
            output.Add(SamResources.Resource(id + authorizer.Key + "AuthorizerPermission", "AWS::Lambda::Permission", permission, at, resource));
        }
    }

    /// <summary>
    /// For <c>UsagePlan.CreateUsagePlan: PER_API</c>: <c>{id}UsagePlan</c>, <c>{id}ApiKey</c> and <c>{id}UsagePlanKey</c>,
    /// as SAM names them; whether it made them.
    /// </summary>
    public static bool AddUsagePlan(SamContext context, string id, MapNode auth, string stageId, SourceLocation at, MapNode? resource, ImmutableArray<MapEntry>.Builder output)
    {
        if (auth.Get("UsagePlan") is not MapNode plan)
        {
            return false;
        }

        switch (plan.GetString("CreateUsagePlan"))
        {
            case "NONE":
                return false;
            case "PER_API":
                break;
            case var other:
                context.Problem(id, "Properties.Auth.UsagePlan.CreateUsagePlan", $"Cloister supports CreateUsagePlan PER_API and NONE, not '{other}'.", plan.Location);
                return false;
        }

        var stage = NodeFactory.Map(at, ("ApiId", NodeFactory.Ref(id, at)), ("Stage", NodeFactory.Ref(stageId, at)));
        var planProps = NodeFactory.Map(
            at,
            ("ApiStages", NodeFactory.List(at, stage)),
            ("Quota", plan.Get("Quota")),
            ("Throttle", plan.Get("Throttle")),
            ("UsagePlanName", plan.Get("UsagePlanName")),
            ("Description", plan.Get("Description")));
        var planEntry = SamResources.Resource(id + "UsagePlan", "AWS::ApiGateway::UsagePlan", planProps, at, resource);
        output.Add(planEntry with { Value = ((MapNode)planEntry.Value).With("DependsOn", NodeFactory.List(at, NodeFactory.Str(stageId, at))) });
        output.Add(SamResources.Resource(id + "ApiKey", "AWS::ApiGateway::ApiKey", NodeFactory.Map(at, ("Enabled", NodeFactory.Str("true", at))), at, resource));
        output.Add(SamResources.Resource(id + "UsagePlanKey", "AWS::ApiGateway::UsagePlanKey", NodeFactory.Map(
            at,
            ("KeyId", NodeFactory.Ref(id + "ApiKey", at)),
            ("KeyType", NodeFactory.Str("API_KEY", at)),
            ("UsagePlanId", NodeFactory.Ref(id + "UsagePlan", at))), at, resource));
        return true;
    }

    private static MapEntry? Scheme(SamContext context, string id, MapEntry authorizer)
    {
        var where = "Properties.Auth.Authorizers." + authorizer.Key;
        if (authorizer.Value is not MapNode a)
        {
            context.Problem(id, where, "must be a map.", authorizer.KeyLocation);
            return null;
        }

        var at = authorizer.KeyLocation;
        if (a.Get("UserPoolArn") is { } pools)
        {
            return new MapEntry(authorizer.Key, at, NodeFactory.Map(
                at,
                ("type", NodeFactory.Str("apiKey", at)),
                ("name", NodeFactory.Str((a.Get("Identity") as MapNode)?.GetString("Header") ?? "Authorization", at)),
                ("in", NodeFactory.Str("header", at)),
                ("x-amazon-apigateway-authtype", NodeFactory.Str("cognito_user_pools", at)),
                ("x-amazon-apigateway-authorizer", NodeFactory.Map(
                    at,
                    ("type", NodeFactory.Str("cognito_user_pools", at)),
                    ("providerARNs", pools is ListNode ? pools : NodeFactory.List(at, pools))))));
        }

        if (a.Get("FunctionArn") is not { } function)
        {
            context.Problem(id, where + ".FunctionArn", "is required for a Lambda authorizer (or give UserPoolArn for Cognito).", at);
            return null;
        }

        var request = string.Equals(a.GetString("FunctionPayloadType"), "REQUEST", StringComparison.OrdinalIgnoreCase);
        var identity = a.Get("Identity") as MapNode;
        var header = identity?.GetString("Header") ?? "Authorization";
        var sources = new List<string>();
        if (request)
        {
            foreach (var (key, prefix) in new[] { ("Headers", "method.request.header."), ("QueryStrings", "method.request.querystring."), ("StageVariables", "stageVariables."), ("Context", "context.") })
            {
                sources.AddRange(NodeFactory.Items(identity?.Get(key)).OfType<ScalarNode>().Select(s => prefix + s.Value));
            }
        }

        var uri = NodeFactory.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations", NodeFactory.Map(at, ("__FunctionArn__", function)), at);
        var extension = NodeFactory.Map(
            at,
            ("type", NodeFactory.Str(request ? "request" : "token", at)),
            ("authorizerUri", uri),
            ("identitySource", NodeFactory.Str(request ? string.Join(", ", sources) : "method.request.header." + header, at)),
            ("identityValidationExpression", request ? null : identity?.Get("ValidationExpression")),
            ("authorizerResultTtlInSeconds", identity?.Get("ReauthorizeEvery")),
            ("authorizerCredentials", a.Get("FunctionInvokeRole")));
        return new MapEntry(authorizer.Key, at, NodeFactory.Map(
            at,
            ("type", NodeFactory.Str("apiKey", at)),
            ("name", NodeFactory.Str(request ? "Unused" : header, at)),
            ("in", NodeFactory.Str("header", at)),
            ("x-amazon-apigateway-authtype", NodeFactory.Str("custom", at)),
            ("x-amazon-apigateway-authorizer", extension)));
    }

    private static MapEntry Sigv4(SourceLocation at) => new("AWS_IAM", at, NodeFactory.Map(
        at,
        ("type", NodeFactory.Str("apiKey", at)),
        ("name", NodeFactory.Str("Authorization", at)),
        ("in", NodeFactory.Str("header", at)),
        ("x-amazon-apigateway-authtype", NodeFactory.Str("awsSigv4", at))));

    private static MapNode Merge(Node? existing, List<MapEntry> schemes, SourceLocation at)
    {
        var map = existing as MapNode ?? new MapNode([], at);
        foreach (var scheme in schemes)
        {
            map = map.With(scheme.Key, scheme.Value);
        }

        return map;
    }

    /// <summary>Every operation without its own <c>security</c> gets the API's requirements, as SAM does.</summary>
    private static MapNode WithSecurity(MapNode body, List<Node> requirements)
    {
        if (body.Get("paths") is not MapNode paths)
        {
            return body;
        }

        // Path items and methods of conditional functions are Fn::If; their contents get the security, the condition stays.
        foreach (var path in paths.Entries)
        {
            paths = paths.With(path.Key, SamConditions.Update(path.Value, item =>
            {
                foreach (var operation in item.Entries.Where(o => o.Key is "get" or "put" or "post" or "delete" or "head" or "patch" or "x-amazon-apigateway-any-method"))
                {
                    item = item.With(operation.Key, SamConditions.Update(operation.Value, method =>
                        method.Get("security") is null ? method.With("security", new ListNode([.. requirements], method.Location)) : method));
                }

                return item;
            }));
        }

        return body.With("paths", paths);
    }
}
