using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Api;
using Cloister.Templates.Nodes;
using Cloister.Templates.OpenApi;

namespace Cloister.Templates.Mapping;

/// <summary>API Gateway REST APIs: the API with its resource tree (from Body or Resource/Method resources), deployments and stages.</summary>
internal sealed partial class ModelBuilder
{
    /// <summary>When deployments are made; set by the loader so a seeded load is reproducible.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>APIs with methods left out because their resource could not be placed (reported there).</summary>
    private readonly HashSet<string> _apisMissingMethods = new(StringComparer.Ordinal);

    private void BuildApis()
    {
        var resources = OfType("AWS::ApiGateway::Resource").ToList();
        var methods = OfType("AWS::ApiGateway::Method").ToList();
        var responses = OfType("AWS::ApiGateway::GatewayResponse").ToList();
        var validation = new RequestValidation([.. OfType("AWS::ApiGateway::RequestValidator")], [.. OfType("AWS::ApiGateway::Model")]);
        foreach (var r in OfType("AWS::ApiGateway::RestApi"))
        {
            var tree = new ApiTree(ids, r.Resource.Attribute("RootResourceId"));
            ImportedApi? imported = null;
            if (r.Map("Body") is { } body)
            {
                imported = new OpenApiImporter((node, path, message) => r.ProblemAt(node, path, message), "Body", ids).Import(body, tree, r.Id);
                AddImportedAuthorizers(r.Id, imported);
            }

            if (r.Node("BodyS3Location") is not null)
            {
                r.Problem("BodyS3Location", "Cloister reads no S3; put the OpenAPI document in Body (or a SAM DefinitionUri with a local file).");
            }

            var unplaced = AddResources(r.Id, tree, resources);
            var models = validation.Models(r, imported);
            var validators = validation.Validators(r.Id, imported);
            foreach (var m in methods.Where(m => m.String("RestApiId") == r.Id))
            {
                var resourceId = m.Required("ResourceId");
                CheckLambdaUri(m);
                if (tree.AddMethod(resourceId, validation.Check(m, ToMethod(m), r.LogicalId, validators, models)))
                {
                    continue;
                }

                if (unplaced.Contains(resourceId))
                {
                    // Its resource's own problem is reported; so is the API's lack of methods it causes.
                    _apisMissingMethods.Add(r.Id);
                }
                else
                {
                    m.Problem("ResourceId", $"'{resourceId}' is not a resource of the API {r.LogicalId}.");
                }
            }

            var endpointConfiguration = r.Map("EndpointConfiguration");
            var types = endpointConfiguration is null ? [] : r.Strings(endpointConfiguration, "Types", "EndpointConfiguration.Types");
            var endpointType = types.FirstOrDefault() switch
            {
                null or "EDGE" => EndpointType.Edge,
                "REGIONAL" => EndpointType.Regional,
                "PRIVATE" => EndpointType.Private,
                var other => Invalid(r, "EndpointConfiguration.Types", $"'{other}' is not EDGE, REGIONAL or PRIVATE.", EndpointType.Edge),
            };
            var vpcEndpointIds = (endpointConfiguration is null ? [] : r.Strings(endpointConfiguration, "VpcEndpointIds", "EndpointConfiguration.VpcEndpointIds"))
                .AddRange(imported?.VpcEndpointIds ?? []).Distinct().ToImmutableArray();
            if (!vpcEndpointIds.IsEmpty && endpointType != EndpointType.Private)
            {
                r.Problem("EndpointConfiguration.VpcEndpointIds", "VPC endpoints can be associated only with a PRIVATE API.");
            }

            var name = r.String("Name") ?? imported?.Title;
            if (name is null)
            {
                r.Problem("Name", "is required when the API has no Body with an info.title.");
            }

            var written = r.Json("Policy");
            var policy = written ?? imported?.Policy;
            var expandedPolicy = policy is null ? null : ExpandPolicyShorthand(policy, r.Id);
            CheckPolicySize(r, written is null ? "Body" : "Policy", expandedPolicy, ApiPolicySize);
            var gatewayResponses = (imported?.GatewayResponses ?? []).AddRange(responses.Where(g => g.String("RestApiId") == r.Id).Select(g =>
                new GatewayResponse(g.Required("ResponseType"), g.String("StatusCode"), g.StringMap(g.Map("ResponseParameters"), "ResponseParameters"), g.StringMap(g.Map("ResponseTemplates"), "ResponseTemplates"))));
            _apis.Add(new RestApi(
                r.Id,
                r.LogicalId,
                name ?? r.LogicalId,
                endpointType,
                vpcEndpointIds,
                expandedPolicy,
                tree.Build(),
                r.Strings("BinaryMediaTypes").AddRange(imported?.BinaryMediaTypes ?? []),
                r.String("ApiKeySourceType") ?? imported?.ApiKeySource ?? "HEADER",
                gatewayResponses)
            {
                Models = models,
                RequestValidators = validators,
                DisableExecuteApiEndpoint = r.Bool("DisableExecuteApiEndpoint", imported?.DisableExecuteApiEndpoint ?? false),
            });
        }

        foreach (var m in methods.Where(m => _apis.All(a => a.Id != m.String("RestApiId"))))
        {
            m.Problem("RestApiId", $"'{m.String("RestApiId")}' is not a REST API of these templates.");
        }

        validation.ReportOrphans(_apis);
        BuildDeployments();
    }

    /// <summary>
    /// Places the API's resources in its tree, parents first, and returns the ids of those that could not be placed. A
    /// resource is reported once, for its own mistake: a missing PathPart, or a ParentId that is no resource of the API
    /// (or a cycle of ParentIds); the resources below it, named by their physical ids, are not reported again.
    /// </summary>
    private static HashSet<string> AddResources(string apiId, ApiTree tree, List<PropertyReader> resources)
    {
        var pending = resources.Where(r => r.String("RestApiId") == apiId).ToList();
        var unplaced = pending.Where(r => !IsPathPart(r)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        pending.RemoveAll(r => unplaced.Contains(r.Id));
        while (pending.Count > 0)
        {
            var added = pending.Where(r => tree.TryAddChild(r.Required("ParentId"), r.String("PathPart")!, r.Id)).ToList();
            if (added.Count == 0)
            {
                var blocked = unplaced.Concat(pending.Select(p => p.Id)).ToHashSet(StringComparer.Ordinal);
                var causes = pending.Where(o => !blocked.Contains(o.String("ParentId") ?? string.Empty)).ToList();
                foreach (var orphan in causes.Count > 0 || unplaced.Count > 0 ? causes : pending)
                {
                    orphan.Problem("ParentId", $"'{orphan.String("ParentId")}' is neither the API's root resource nor one of its resources.");
                }

                return blocked;
            }

            pending.RemoveAll(added.Contains);
        }

        return unplaced;
    }

    /// <summary>Whether the resource's PathPart is one API Gateway takes; the problem recorded when it is not.</summary>
    private static bool IsPathPart(PropertyReader r)
    {
        if (r.String("PathPart", required: true) is not { } part)
        {
            return false;
        }

        if (!PathPartPattern().IsMatch(part))
        {
            // CreateResource's BadRequestException, word for word.
            r.Problem("PathPart", $"'{part}': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
            return false;
        }

        return true;
    }

    private static ApiMethod ToMethod(PropertyReader m)
    {
        var parameters = (m.Map("RequestParameters")?.Entries ?? []).ToImmutableDictionary(
            e => e.Key,
            e => e.Value is ScalarNode s && string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase),
            StringComparer.Ordinal);
        Integration? integration = null;
        if (m.Map("Integration") is { } i)
        {
            var typeText = m.String(i, "Type", "Integration.Type", required: true) ?? "MOCK";
            var type = typeText switch
            {
                "AWS_PROXY" => IntegrationType.AwsProxy,
                "AWS" => IntegrationType.Aws,
                "HTTP" => IntegrationType.Http,
                "HTTP_PROXY" => IntegrationType.HttpProxy,
                "MOCK" => IntegrationType.Mock,
                _ => Invalid(m, "Integration.Type", $"'{typeText}' is not AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK.", IntegrationType.Mock),
            };
            var timeout = m.Int(i, "TimeoutInMillis", "Integration.TimeoutInMillis", Integration.DefaultTimeoutInMillis);
            if (timeout is < 50 or > 29_000)
            {
                m.Problem("Integration.TimeoutInMillis", $"{timeout} is not between 50 and 29000 milliseconds.");
            }

            var integrationResponses = m.Maps(i, "IntegrationResponses", "Integration.IntegrationResponses").Select((r, n) => new IntegrationResponse(
                m.String(r, "StatusCode", $"Integration.IntegrationResponses[{n}].StatusCode", required: true) ?? "200",
                r.GetString("SelectionPattern"),
                m.StringMap(r.Get("ResponseParameters") as MapNode, $"Integration.IntegrationResponses[{n}].ResponseParameters"),
                m.StringMap(r.Get("ResponseTemplates") as MapNode, $"Integration.IntegrationResponses[{n}].ResponseTemplates"))
            { ContentHandling = ContentHandlingOf(m, r, $"Integration.IntegrationResponses[{n}].ContentHandling") });
            if (type is not IntegrationType.Mock && i.Get("Uri") is null)
            {
                m.Problem("Integration.Uri", "is required for this integration type.");
            }

            integration = new Integration(
                type,
                i.GetString("IntegrationHttpMethod"),
                i.GetString("Uri"),
                i.GetString("ConnectionType") ?? "INTERNET",
                i.GetString("ConnectionId"),
                timeout,
                m.StringMap(i.Get("RequestParameters") as MapNode, "Integration.RequestParameters"),
                m.StringMap(i.Get("RequestTemplates") as MapNode, "Integration.RequestTemplates"),
                i.GetString("PassthroughBehavior") ?? "WHEN_NO_MATCH",
                [.. integrationResponses])
            { Credentials = i.GetString("Credentials"), ContentHandling = ContentHandlingOf(m, i, "Integration.ContentHandling") };
        }

        var httpMethod = m.Required("HttpMethod").ToUpperInvariant();
        if (httpMethod.Length > 0 && !MethodNames.Contains(httpMethod))
        {
            m.Problem("HttpMethod", $"Invalid HttpMethod specified: '{httpMethod}'. Valid options are {string.Join(",", MethodNames)}.");
        }

        return new ApiMethod(
            httpMethod,
            m.String("AuthorizationType") ?? "NONE",
            m.String("AuthorizerId"),
            m.Bool("ApiKeyRequired", false),
            parameters,
            integration)
        {
            RequestValidatorId = m.String("RequestValidatorId"),
            RequestModels = m.StringMap(m.Map("RequestModels"), "RequestModels"),
        };
    }

    private void BuildDeployments()
    {
        var apis = _apis.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var d in OfType("AWS::ApiGateway::Deployment"))
        {
            var apiId = d.Required("RestApiId");
            if (!apis.TryGetValue(apiId, out var api))
            {
                d.Problem("RestApiId", $"'{apiId}' is not a REST API of these templates.");
                continue;
            }

            if (api.Resources.All(r => r.Methods.IsEmpty) && !_apisMissingMethods.Contains(api.Id))
            {
                d.Problem("RestApiId", $"The REST API {api.LogicalId} has no methods; API Gateway refuses to deploy it.");
            }

            if (api.EndpointType == EndpointType.Private && api.Policy is null)
            {
                // On AWS the deployment fails; a warning keeps the template usable here, and the gateway refuses every call.
                d.WarningAt(d.Node("RestApiId")!, "RestApiId", $"The PRIVATE REST API {api.LogicalId} has no resource policy: API Gateway refuses to deploy it (\"Private REST API doesn't have a resource policy attached to it\"); Cloister deploys it and refuses every call.");
            }

            _deployments.Add(new Deployment(d.Id, d.LogicalId, apiId, api, Now));
            if (d.String("StageName") is { } stageName)
            {
                var description = d.Map("StageDescription");
                _stages.Add(ToStage(d, description ?? new MapNode([], d.Resource.Location), "StageDescription.", apiId, stageName, d.Id));
            }
        }

        foreach (var s in OfType("AWS::ApiGateway::Stage"))
        {
            var apiId = s.Required("RestApiId");
            var stageName = s.Required("StageName");
            if (!apis.ContainsKey(apiId))
            {
                s.Problem("RestApiId", $"'{apiId}' is not a REST API of these templates.");
                continue;
            }

            if (_stages.Any(existing => existing.RestApiId == apiId && existing.StageName == stageName))
            {
                s.Problem("StageName", $"The API already has a stage '{stageName}' (a Deployment's StageName creates one).");
                continue;
            }

            _stages.Add(ToStage(s, s.Resource.Properties, string.Empty, apiId, stageName, s.Required("DeploymentId")));
        }
    }

    private static Stage ToStage(PropertyReader r, MapNode properties, string prefix, string apiId, string stageName, string deploymentId)
    {
        var variables = r.StringMap(properties.Get("Variables") as MapNode, prefix + "Variables");
        foreach (var variable in variables.Where(v => v.Key.Length > 64 || v.Value.Length > 512))
        {
            r.Problem($"{prefix}Variables.{variable.Key}", "A stage variable name is at most 64 characters and its value at most 512.");
        }

        foreach (var variable in variables.Where(v => !StageVariableName().IsMatch(v.Key)))
        {
            // A ${stageVariables.VPC-Link} could never name it; the method using it failed at call time.
            r.Problem($"{prefix}Variables.{variable.Key}", "A stage variable name can only contain alphanumeric characters and underscores.");
        }

        var settings = r.Maps(properties, "MethodSettings", prefix + "MethodSettings").Select((m, i) =>
        {
            var p = $"{prefix}MethodSettings[{i}].";
            double? rate = r.String(m, "ThrottlingRateLimit", p + "ThrottlingRateLimit") is { } rateText
                && double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            int? burst = m.Get("ThrottlingBurstLimit") is null ? null : r.Int(m, "ThrottlingBurstLimit", p + "ThrottlingBurstLimit", 0);
            var resourcePath = r.String(m, "ResourcePath", p + "ResourcePath") ?? EveryResource;
            var httpMethod = r.String(m, "HttpMethod", p + "HttpMethod") ?? "*";
            CheckMethodSettingPath(r, p + "ResourcePath", resourcePath, httpMethod);
            return new MethodSetting(
                resourcePath,
                httpMethod,
                rate,
                burst,
                r.String(m, "LoggingLevel", p + "LoggingLevel") ?? "OFF",
                r.Bool(m, "MetricsEnabled", p + "MetricsEnabled", false),
                r.Bool(m, "DataTraceEnabled", p + "DataTraceEnabled", false));
        });
        AccessLogSetting? accessLog = null;
        if (r.Map(properties, "AccessLogSetting", prefix + "AccessLogSetting") is { } log)
        {
            accessLog = new AccessLogSetting(
                r.String(log, "DestinationArn", prefix + "AccessLogSetting.DestinationArn", required: true) ?? string.Empty,
                r.String(log, "Format", prefix + "AccessLogSetting.Format") ?? AccessLogFormats.Clf);
        }

        return new Stage(r.LogicalId, apiId, stageName, deploymentId, variables, [.. settings], accessLog);
    }

    /// <summary>API Gateway expands <c>execute-api:/stage/METHOD/path</c> to a full ARN when it saves a policy.</summary>
    private string ExpandPolicyShorthand(string policy, string apiId) =>
        policy.Replace("\"execute-api:/", $"\"arn:{account.Partition}:execute-api:{account.Region}:{account.AccountId}:{apiId}/", StringComparison.Ordinal);

    private static ContentHandling ContentHandlingOf(PropertyReader m, MapNode node, string property)
    {
        var text = m.String(node, "ContentHandling", property);
        return ContentHandlingValues.Parse(text) ?? Invalid(m, property, $"'{text}' {ContentHandlingValues.Invalid}", ContentHandling.Passthrough);
    }

    private static T Invalid<T>(PropertyReader r, string property, string message, T fallback)
    {
        r.Problem(property, message);
        return fallback;
    }
}
