using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cloister.Model.Validation;
using Cloister.Templates.Code;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;

namespace Cloister.Templates.Sam;

/// <summary>
/// <c>AWS::Serverless::Api</c> and the implicit <c>ServerlessRestApi</c>: a REST API whose OpenAPI body
/// is the DefinitionBody (or DefinitionUri's file), or one SAM writes from the functions' Api events,
/// with the resource policy SAM generates from <c>Auth.ResourcePolicy</c>, a deployment and a stage.
/// </summary>
internal sealed partial class SamApi(SamContext context, List<ApiEvent> events)
{
    public const string Type = "AWS::Serverless::Api";
    public const string ImplicitId = "ServerlessRestApi";

    /// <summary>The properties SAM defines that Cloister expands; any other SAM property is refused as not supported yet.</summary>
    private static readonly ImmutableHashSet<string> Expanded = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "StageName", "DefinitionBody", "DefinitionUri", "Name", "Description", "EndpointConfiguration", "Auth", "Variables",
        "MethodSettings", "AccessLogSetting", "OpenApiVersion", "BinaryMediaTypes", "GatewayResponses", "TracingEnabled",
        "CacheClusterEnabled", "CacheClusterSize", "MinimumCompressionSize", "ApiKeySourceType", "Mode", "DisableExecuteApiEndpoint",
        "FailOnWarnings", "Tags", "Domain", "Models", "PropagateTags", "AlwaysDeploy");

    private readonly HashSet<string> _explicit = new(StringComparer.Ordinal);

    public void ExpandExplicit(MapEntry entry, MapNode resource, ImmutableArray<MapEntry>.Builder output)
    {
        _explicit.Add(entry.Key);
        var props = context.WithGlobals("Api", resource.Get("Properties") as MapNode, entry.KeyLocation);
        foreach (var property in SamResources.NotExpanded(Type, props, Expanded))
        {
            context.Problem(entry.Key, "Properties." + property.Key, $"Cloister does not support {property.Key} on SAM APIs yet; write it in DefinitionBody or as CloudFormation resources.", property.KeyLocation);
        }

        if (props.Get("StageName") is not { } stageName)
        {
            context.Problem(entry.Key, "Properties.StageName", "is required.", entry.KeyLocation);
        }
        else if (stageName is ScalarNode { IsNull: false, Value.Length: 0 })
        {
            context.Problem(entry.Key, "Properties.StageName", "StageName cannot be empty.", stageName.Location);
        }

        if (props.GetEntry("DefinitionBody") is not null && props.GetEntry("DefinitionUri") is { } uri)
        {
            context.Problem(entry.Key, "Properties.DefinitionUri", "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.", uri.KeyLocation);
        }

        Expand(entry.Key, entry.KeyLocation, props, resource, output);
    }

    public void ExpandImplicit(MapNode resources, ImmutableArray<MapEntry>.Builder output)
    {
        var implicitEvents = events.Where(e => e.ApiId is null).ToList();
        if (implicitEvents.Count == 0)
        {
            return;
        }

        var at = implicitEvents[0].Location;
        if (resources.GetEntry(ImplicitId) is { } taken)
        {
            context.Problem(ImplicitId, string.Empty, $"'{ImplicitId}' is the name SAM gives the implicit API of Api events without RestApiId; rename this resource.", taken.KeyLocation);
            return;
        }

        var props = context.WithGlobals("Api", NodeFactory.Map(at, ("StageName", NodeFactory.Str("Prod", at))), at);
        Expand(ImplicitId, at, props, ImplicitCondition(implicitEvents, at), output);
    }

    /// <summary>
    /// As SAM does, the implicit API is conditional when every function routed on it is: on their condition, or on
    /// <c>ServerlessRestApiCondition</c>, the Fn::Or of theirs, when they differ. A stand-in for the SAM resource
    /// whose attributes the generated resources carry.
    /// </summary>
    private MapNode? ImplicitCondition(List<ApiEvent> implicitEvents, SourceLocation at)
    {
        if (implicitEvents.Exists(e => e.Condition is null))
        {
            return null;
        }

        var name = Condition(implicitEvents, ImplicitId + "Condition", at);
        return NodeFactory.Map(at, ("Condition", NodeFactory.Str(name, at)));
    }

    /// <summary>The one condition of <paramref name="conditional"/>, or <paramref name="combined"/> added to the template as the Fn::Or of theirs.</summary>
    private string Condition(List<ApiEvent> conditional, string combined, SourceLocation at)
    {
        var names = conditional.Select(e => e.Condition!).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 1)
        {
            return names[0];
        }

        context.AddedConditions.AddRange(SamConditions.Combined(combined, names, at));
        return combined;
    }

    public void ReportUnknownApis()
    {
        foreach (var e in events.Where(e => e.ApiId is not null && !_explicit.Contains(e.ApiId)))
        {
            context.Problem(e.FunctionId, $"Properties.Events.{e.EventId}.Properties.RestApiId", $"'{e.ApiId}' is not an {Type} of this template.", e.Location);
        }
    }

    private void Expand(string id, SourceLocation at, MapNode props, MapNode? resource, ImmutableArray<MapEntry>.Builder output)
    {
        var openApiVersion = OpenApiVersion(id, props);
        var body = Body(id, at, props, openApiVersion, out var managed);
        if (managed)
        {
            var routed = events.Where(e => (e.ApiId ?? ImplicitId) == id).ToList();
            foreach (var e in routed)
            {
                body = AddIntegration(body, e, props.Get("Models"));
            }

            body = WithPathConditions(id, body, routed);
        }

        if (props.Get("Models") is { } models)
        {
            body = AddModels(id, body, models);
        }

        if (props.Get("BinaryMediaTypes") is ListNode binary)
        {
            body = body.With("x-amazon-apigateway-binary-media-types", binary with { Items = [.. binary.Items.Select(i => i is ScalarNode s ? s with { Value = s.Value.Replace("~1", "/", StringComparison.Ordinal) } : i)] });
        }

        if (props.Get("GatewayResponses") is MapNode responses)
        {
            body = body.With("x-amazon-apigateway-gateway-responses", GatewayResponses(responses));
        }

        var stage = props.Get("StageName") ?? NodeFactory.Str("Prod", at);
        if (props.Get("Auth") is MapNode auth)
        {
            body = Auth(id, auth, body, stage);
        }

        var restApi = ImmutableArray.CreateBuilder<MapEntry>();
        restApi.Add(new MapEntry("Body", body.Location, body));
        restApi.AddRange(SamResources.Copy(props, "Name", "Description", "MinimumCompressionSize", "ApiKeySourceType", "Mode", "DisableExecuteApiEndpoint", "FailOnWarnings"));
        if (props.GetEntry("EndpointConfiguration") is { } endpoint)
        {
            restApi.Add(new MapEntry("EndpointConfiguration", endpoint.KeyLocation, EndpointConfiguration(endpoint.Value)));
        }

        if (props.Get("Tags") is MapNode tags)
        {
            restApi.Add(new MapEntry("Tags", at, SamResources.Tags(tags, at, createdBySam: false)));
        }

        output.Add(SamResources.Resource(id, "AWS::ApiGateway::RestApi", new MapNode(restApi.ToImmutable(), at), at, resource));

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NodeJson.Write(body))))[..10];
        var deploymentId = $"{id}Deployment{hash}";
        var stageId = SamLogicalIds.Stage(id, stage);
        context.References.Add(id, "Deployment", deploymentId);
        context.References.Add(id, "Stage", stageId);
        output.Add(SamResources.Resource(deploymentId, "AWS::ApiGateway::Deployment", NodeFactory.Map(
            at,
            ("RestApiId", NodeFactory.Ref(id, at)),
            ("Description", NodeFactory.Str($"RestApi deployment id: {hash}", at)),
            ("StageName", openApiVersion is null ? NodeFactory.Str("Stage", at) : null)), at, resource));

        var stageProps = ImmutableArray.CreateBuilder<MapEntry>();
        stageProps.Add(new MapEntry("RestApiId", at, NodeFactory.Ref(id, at)));
        stageProps.Add(new MapEntry("DeploymentId", at, NodeFactory.Ref(deploymentId, at)));
        stageProps.Add(new MapEntry("StageName", stage.Location, stage));
        stageProps.AddRange(SamResources.Copy(props, "Variables", "MethodSettings", "AccessLogSetting", "TracingEnabled", "CacheClusterEnabled", "CacheClusterSize"));
        output.Add(SamResources.Resource(stageId, "AWS::ApiGateway::Stage", new MapNode(stageProps.ToImmutable(), at), at, resource));
        if (props.Get("Auth") is MapNode planAuth && SamApiAuth.AddUsagePlan(context, id, planAuth, stageId, at, resource, output))
        {
            context.References.Add(id, "UsagePlan", id + "UsagePlan");
            context.References.Add(id, "UsagePlanKey", id + "UsagePlanKey");
            context.References.Add(id, "ApiKey", id + "ApiKey");
        }

        if (props.Get("Auth") is MapNode authorizersAuth)
        {
            SamApiAuth.AddAuthorizerPermissions(id, authorizersAuth, resource, output);
        }

        if (SamDomain.Expand(context, id, props.Get("Domain"), stageId, resource, output) is { } domainId)
        {
            context.References.Add(id, "DomainName", domainId);
        }
    }

    /// <summary>OpenApiVersion as SAM accepts it (<c>2.x</c> or <c>3.x</c>, with an optional <c>.y</c>); null when absent or not so.</summary>
    private string? OpenApiVersion(string id, MapNode props)
    {
        if (props.Get("OpenApiVersion") is not { } version)
        {
            return null;
        }

        if (version is ScalarNode { IsNull: false } text && OpenApiVersionPattern().IsMatch(text.Value))
        {
            return text.Value;
        }

        context.Problem(id, "Properties.OpenApiVersion", "The OpenApiVersion value must be of the format '3.0.0'.", version.Location);
        return null;
    }

    /// <summary>SAM's <c>get_openapi_versions_supported_regex</c>, <c>\A[2-3](\.\d)(\.\d)?$</c>.</summary>
    [GeneratedRegex(@"\A[23]\.[0-9](\.[0-9])?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex OpenApiVersionPattern();

    /// <summary>
    /// As SAM does for the paths it writes: a path whose every method comes from a conditional function is itself
    /// conditional, on their condition or on <c>{api}{path}PathCondition</c> (slashes as SLASH, braces as OB and CB),
    /// the Fn::Or of theirs; so when the conditions are false the API has no empty resource left.
    /// </summary>
    private MapNode WithPathConditions(string id, MapNode body, List<ApiEvent> routed)
    {
        if (body.Get("paths") is not MapNode paths)
        {
            return body;
        }

        foreach (var path in paths.Entries)
        {
            var onPath = routed.Where(e => e.Path == path.Key).ToList();
            if (onPath.Count == 0 || onPath.Exists(e => e.Condition is null))
            {
                continue;
            }

            var combined = id + path.Key.Replace("/", "SLASH", StringComparison.Ordinal).Replace("{", "OB", StringComparison.Ordinal).Replace("}", "CB", StringComparison.Ordinal) + "PathCondition";
            paths = paths.With(path.Key, SamConditions.If(Condition(onPath, combined, path.KeyLocation), path.Value, path.KeyLocation));
        }

        return body.With("paths", paths);
    }

    private MapNode Body(string id, SourceLocation at, MapNode props, string? openApiVersion, out bool managed)
    {
        managed = false;
        if (props.Get("DefinitionBody") is { } definition)
        {
            if (definition is MapNode map)
            {
                return map;
            }

            context.Problem(id, "Properties.DefinitionBody", $"must be an OpenAPI document (a map), not {definition.KindName}.", definition.Location);
        }
        else if (props.Get("DefinitionUri") is { } uri)
        {
            if (uri is ScalarNode { IsNull: false } path)
            {
                if (CodeLocator.Resolve(context.File, path.Value, out var error) is not { } file)
                {
                    context.Problem(id, "Properties.DefinitionUri", error, uri.Location);
                    return new MapNode([], at);
                }

                // Refused before opening: a named pipe would wait for a writer, a device would never end.
                if (LocalFiles.Refusal(file, LocalFiles.TypeOf(file), folderAllowed: false) is { } refusal)
                {
                    context.Problem(id, "Properties.DefinitionUri", refusal, uri.Location);
                    return new MapNode([], at);
                }

                try
                {
                    var document = TemplateReader.Read(file, File.ReadAllText(file), context.Problems);
                    if (document is MapNode map)
                    {
                        return map;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    context.Problem(id, "Properties.DefinitionUri", $"Cannot read '{file}': {e.Message}", uri.Location);
                }
            }
            else if (uri is MapNode call && call.IsIntrinsic(out var function, out _))
            {
                context.Problem(id, "Properties.DefinitionUri", $"SAM reads DefinitionUri before intrinsic functions are resolved, so it cannot be given by {function} ('DefinitionUri' requires Bucket and Key properties to be specified); write the local file path out.", uri.Location);
            }
            else
            {
                context.Problem(id, "Properties.DefinitionUri", "Cloister reads no S3; give DefinitionUri as a local file path.", uri.Location);
            }
        }
        else
        {
            managed = true;
            var v3 = openApiVersion is not null && openApiVersion.StartsWith('3');
            return NodeFactory.Map(
                at,
                (v3 ? "openapi" : "swagger", NodeFactory.Str(v3 ? openApiVersion! : "2.0", at)),
                ("info", NodeFactory.Map(at, ("version", NodeFactory.Str("1.0", at)), ("title", NodeFactory.Ref("AWS::StackName", at)))),
                ("paths", new MapNode([], at)));
        }

        return new MapNode([], at);
    }

    private MapNode AddIntegration(MapNode body, ApiEvent e, Node? models)
    {
        var at = e.Location;
        var paths = body.Get("paths") as MapNode ?? new MapNode([], at);
        var item = paths.Get(e.Path) as MapNode ?? new MapNode([], at);
        var methodKey = e.Method == "any" ? "x-amazon-apigateway-any-method" : e.Method;
        if (item.Get(methodKey) is not null)
        {
            context.Problem(e.FunctionId, $"Properties.Events.{e.EventId}", $"Another event already routes {e.Method.ToUpperInvariant()} {e.Path} on this API.", at);
            return body;
        }

        // A conditional function's method (and its integration's uri) is conditional too, as SAM writes it, so that
        // the body does not refer to a function that is not created.
        // With AutoPublishAlias the integration invokes the alias (its Ref is the alias ARN), as SAM writes it.
        var function = e.AliasId ?? e.FunctionId + ".Arn";
        Node uri = NodeFactory.Sub($"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}}}/invocations", at);
        if (e.Condition is not null)
        {
            uri = SamConditions.If(e.Condition, uri, at);
        }

        var integration = NodeFactory.Map(
            at,
            ("type", NodeFactory.Str("aws_proxy", at)),
            ("httpMethod", NodeFactory.Str("POST", at)),
            ("uri", uri));
        var methodMap = NodeFactory.Map(at, ("x-amazon-apigateway-integration", integration), ("responses", new MapNode([], at)));
        (methodMap, body) = AddRequestValidation(e, methodMap, body, models);
        Node method = methodMap;
        if (e.Condition is not null)
        {
            method = SamConditions.If(e.Condition, method, at);
        }

        return body.With("paths", paths.With(e.Path, item.With(methodKey, method)));
    }

    private MapNode Auth(string id, MapNode auth, MapNode body, Node stage)
    {
        foreach (var entry in auth.Entries.Where(e => !SamApiAuth.Handled.Contains(e.Key)))
        {
            context.Problem(id, "Properties.Auth." + entry.Key, $"Cloister does not support Auth.{entry.Key} on SAM APIs yet; declare it in DefinitionBody.", entry.KeyLocation);
        }

        body = SamApiAuth.Apply(context, id, auth, body);

        if (auth.Get("ResourcePolicy") is not MapNode policy)
        {
            return body;
        }

        var generator = new SamResourcePolicy(context, id);
        foreach (var path in (body.Get("paths") as MapNode)?.Entries ?? [])
        {
            var methods = SamConditions.Contents(path.Value).SelectMany(item => item.Entries.Select(m => m.Key)).Where(IsMethod).Distinct(StringComparer.Ordinal);
            generator.AddForPath(policy, path.Key, [.. methods], stage, path.KeyLocation);
        }

        generator.AddCustomStatements(policy.Get("CustomStatements"));
        return generator.HasStatements ? body.With("x-amazon-apigateway-policy", generator.Document(auth.Location)) : body;
    }

    private static bool IsMethod(string key) =>
        key is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "x-amazon-apigateway-any-method" or "any";

    private static MapNode EndpointConfiguration(Node value)
    {
        var at = value.Location;
        return value switch
        {
            MapNode map when !map.IsIntrinsic(out _, out _) => NodeFactory.Map(
                at,
                ("Types", map.Get("Type") is { } type ? NodeFactory.List(at, type) : null),
                ("VpcEndpointIds", map.Get("VPCEndpointIds"))),
            _ => NodeFactory.Map(at, ("Types", NodeFactory.List(at, value))),
        };
    }

    private static MapNode GatewayResponses(MapNode responses)
    {
        var entries = ImmutableArray.CreateBuilder<MapEntry>();
        foreach (var response in responses.Entries)
        {
            var r = response.Value as MapNode;
            var at = response.KeyLocation;
            var parameters = new List<MapEntry>();
            foreach (var (section, prefix) in new[] { ("Headers", "header"), ("Paths", "path"), ("QueryStrings", "querystring") })
            {
                foreach (var p in ((r?.Get("ResponseParameters") as MapNode)?.Get(section) as MapNode)?.Entries ?? [])
                {
                    parameters.Add(new MapEntry($"gatewayresponse.{prefix}.{p.Key}", p.KeyLocation, p.Value));
                }
            }

            entries.Add(new MapEntry(response.Key, at, NodeFactory.Map(
                at,
                ("statusCode", r?.Get("StatusCode")),
                ("responseParameters", parameters.Count == 0 ? null : new MapNode([.. parameters], at)),
                ("responseTemplates", r?.Get("ResponseTemplates")))));
        }

        return new MapNode(entries.ToImmutable(), responses.Location);
    }
}
