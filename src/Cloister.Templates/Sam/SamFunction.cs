using System.Collections.Immutable;
using Cloister.Templates.Code;
using Cloister.Templates.Iam;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// <c>AWS::Serverless::Function</c>: an <c>AWS::Lambda::Function</c>, its execution role (unless Role is
/// given), its version and alias with <c>AutoPublishAlias</c>, and, per Api event, a Lambda permission for API Gateway
/// and a method on the API (both on the alias when there is one).
/// </summary>
internal static class SamFunction
{
    public const string Type = "AWS::Serverless::Function";

    /// <summary>The properties SAM defines that Cloister expands; any other SAM property is refused as not supported yet.</summary>
    private static readonly ImmutableHashSet<string> Expanded = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "CodeUri", "InlineCode", "Handler", "Runtime", "Environment", "VpcConfig", "Policies", "Events", "Role", "FunctionName",
        "MemorySize", "Timeout", "Description", "Tags", "ReservedConcurrentExecutions", "Architectures", "Layers", "Tracing",
        "KmsKeyArn", "PermissionsBoundary", "EphemeralStorage", "LoggingConfig", "PackageType", "ImageUri", "RolePath",
        "AutoPublishAlias", "ProvisionedConcurrencyConfig", "SnapStart", "RuntimeManagementConfig", "CodeSigningConfigArn",
        "ImageConfig", "AssumeRolePolicyDocument", "AutoPublishCodeSha256", "AutoPublishAliasAllProperties", "VersionDescription");

    public static void Expand(MapEntry entry, MapNode resource, MapNode resources, SamContext context, ImmutableArray<MapEntry>.Builder output, List<ApiEvent> events)
    {
        var id = entry.Key;
        var at = entry.KeyLocation;
        var props = context.WithGlobals("Function", resource.Get("Properties") as MapNode, at);
        foreach (var property in SamResources.NotExpanded(Type, props, Expanded))
        {
            context.Problem(id, "Properties." + property.Key, $"Cloister does not support {property.Key} on functions yet.", property.KeyLocation);
        }

        var function = ImmutableArray.CreateBuilder<MapEntry>();
        if (props.GetEntry("InlineCode") is { } inline)
        {
            function.Add(new MapEntry("Code", inline.KeyLocation, NodeFactory.Map(inline.KeyLocation, ("ZipFile", inline.Value))));
        }
        else if (props.GetEntry("CodeUri") is { } codeUri)
        {
            CheckLocalCode(id, codeUri.Value, context);
            Node code = codeUri.Value is MapNode s3 && !s3.IsIntrinsic(out _, out _)
                ? NodeFactory.Map(codeUri.KeyLocation, ("S3Bucket", s3.Get("Bucket")), ("S3Key", s3.Get("Key")))
                : codeUri.Value;
            function.Add(new MapEntry("Code", codeUri.KeyLocation, code) { WrittenAs = "CodeUri" });
        }
        else if (props.GetString("PackageType") != "Image")
        {
            context.Problem(id, "Properties.CodeUri", "A function needs CodeUri (a local folder or .zip) or InlineCode.", at);
        }

        function.AddRange(SamResources.Copy(
            props, "Handler", "Runtime", "Environment", "VpcConfig", "FunctionName", "MemorySize", "Timeout", "Description",
            "ReservedConcurrentExecutions", "Architectures", "Layers", "KmsKeyArn", "EphemeralStorage", "LoggingConfig", "PackageType",
            "SnapStart", "RuntimeManagementConfig", "CodeSigningConfigArn", "ImageConfig"));
        if (props.GetEntry("Tracing") is { } tracing)
        {
            function.Add(new MapEntry("TracingConfig", tracing.KeyLocation, NodeFactory.Map(tracing.KeyLocation, ("Mode", tracing.Value))));
        }

        if (props.GetEntry("Role") is { } role)
        {
            function.Add(role);
        }
        else
        {
            function.Add(new MapEntry("Role", at, NodeFactory.GetAtt(id + "Role", "Arn", at)));
            output.Add(SamResources.Resource(id + "Role", "AWS::IAM::Role", Role(id, props, context, at), at, resource));
        }

        function.Add(new MapEntry("Tags", at, SamResources.Tags(props.Get("Tags") as MapNode, at, createdBySam: true)));
        var functionProperties = new MapNode(function.ToImmutable(), at);
        output.Add(SamResources.Resource(id, "AWS::Lambda::Function", functionProperties, at, resource));

        // With AutoPublishAlias, SAM connects every event to the alias rather than the function.
        var alias = SamAutoPublish.Expand(id, props, functionProperties, resource, context, output);
        if (props.Get("Events") is { } declared and not MapNode and not ScalarNode { IsNull: true })
        {
            // A list of events (`- HelloWorld: ...`) is a common slip; it was ignored, and the API then had no methods.
            context.Problem(id, "Properties.Events", $"Events must be a map of event names to events, not {declared.KindName}.", declared.Location);
        }

        foreach (var e in (props.Get("Events") as MapNode)?.Entries ?? [])
        {
            Event(id, alias, e, resource, resources, context, output, events);
        }
    }

    /// <summary>
    /// A CodeUri written as a path is checked here; SAM CLI too resolves local paths when it packages, whatever the
    /// conditions. One given by an intrinsic is checked when the function is mapped, where the Code it became still
    /// names CodeUri (<see cref="MapEntry.WrittenAs"/>).
    /// </summary>
    private static void CheckLocalCode(string id, Node codeUri, SamContext context)
    {
        if (codeUri is ScalarNode { IsNull: false } local
            && (CodeLocator.Resolve(context.File, local.Value, out var error) is not { } path || CodeLocator.Classify(path, out error) is null))
        {
            context.Problem(id, "Properties.CodeUri", error, local.Location);
        }
    }

    private static MapNode Role(string id, MapNode props, SamContext context, Cloister.Model.Validation.SourceLocation at)
    {
        var assume = props.Get("AssumeRolePolicyDocument") ?? NodeFactory.Map(
            at,
            ("Version", NodeFactory.Str("2012-10-17", at)),
            ("Statement", NodeFactory.List(at, NodeFactory.Map(
                at,
                ("Action", NodeFactory.List(at, NodeFactory.Str("sts:AssumeRole", at))),
                ("Effect", NodeFactory.Str("Allow", at)),
                ("Principal", NodeFactory.Map(at, ("Service", NodeFactory.List(at, NodeFactory.Str("lambda.amazonaws.com", at)))))))));
        var managed = new List<Node> { ManagedPolicy("service-role/AWSLambdaBasicExecutionRole", at) };
        if (props.Get("VpcConfig") is not null)
        {
            managed.Add(ManagedPolicy("service-role/AWSLambdaVPCAccessExecutionRole", at));
        }

        var inline = new List<Node>();
        var policies = NodeFactory.Items(props.Get("Policies"));
        for (var i = 0; i < policies.Length; i++)
        {
            switch (policies[i])
            {
                case ScalarNode name:
                    AddManaged(name.Value.StartsWith("arn:", StringComparison.Ordinal) ? name : ManagedPolicy(AwsManagedPolicies.PathOf(name.Value), name.Location));
                    break;
                case MapNode intrinsic when intrinsic.IsIntrinsic(out _, out _):
                    AddManaged(intrinsic);
                    break;
                case MapNode document when document.Get("Statement") is not null:
                    inline.Add(NodeFactory.Map(document.Location, ("PolicyName", NodeFactory.Str($"{id}RolePolicy{i}", document.Location)), ("PolicyDocument", document)));
                    break;
                case MapNode template when template.Entries.Length == 1:
                    if (SamPolicyTemplates.Expand(template.Entries[0], out var statements, out var error))
                    {
                        var document = NodeFactory.Map(template.Location, ("Statement", statements));
                        inline.Add(NodeFactory.Map(template.Location, ("PolicyName", NodeFactory.Str($"{id}RolePolicy{i}", template.Location)), ("PolicyDocument", document)));
                    }
                    else
                    {
                        context.Problem(id, $"Properties.Policies[{i}]", error, template.Location);
                    }

                    break;
                default:
                    context.Problem(id, $"Properties.Policies[{i}]", "A policy is a managed policy name or ARN, a policy document, or a policy template.", policies[i].Location);
                    break;
            }
        }

        return NodeFactory.Map(
            at,
            ("AssumeRolePolicyDocument", assume),
            ("ManagedPolicyArns", new ListNode([.. managed], at)),
            ("Policies", inline.Count == 0 ? null : new ListNode([.. inline], at)),
            ("PermissionsBoundary", props.Get("PermissionsBoundary")),
            ("Path", props.Get("RolePath")),
            ("Tags", SamResources.Tags(props.Get("Tags") as MapNode, at, createdBySam: true)));

        // SAM lists a managed policy once, so naming one it adds itself (AWSLambdaVPCAccessExecutionRole with VpcConfig) changes nothing.
        void AddManaged(Node arn)
        {
            var json = NodeJson.Write(arn);
            if (!managed.Exists(m => NodeJson.Write(m) == json))
            {
                managed.Add(arn);
            }
        }
    }

    private static MapNode ManagedPolicy(string path, Cloister.Model.Validation.SourceLocation at) =>
        NodeFactory.Sub("arn:${AWS::Partition}:iam::aws:policy/" + path, at);

    private static void Event(string id, string? alias, MapEntry e, MapNode resource, MapNode resources, SamContext context, ImmutableArray<MapEntry>.Builder output, List<ApiEvent> events)
    {
        var where = $"Properties.Events.{e.Key}";
        if (e.Value is not MapNode ev || ev.GetString("Type") is not { } type)
        {
            context.Problem(id, where, "An event needs a Type and Properties.", e.KeyLocation);
            return;
        }

        if (type != "Api")
        {
            context.Problem(id, where + ".Type", $"Cloister runs Api events only, not '{type}'.", ev.Get("Type")!.Location);
            return;
        }

        var props = ev.Get("Properties") as MapNode;
        var path = props?.GetString("Path");
        var method = props?.GetString("Method")?.ToLowerInvariant();
        if (path is null || method is null)
        {
            context.Problem(id, where + ".Properties", "An Api event needs Path and Method.", props?.Location ?? e.KeyLocation);
            return;
        }

        if (props!.Get("Auth") is not null)
        {
            context.Problem(id, where + ".Properties", "Cloister does not support Auth on Api events yet; declare it in the API's DefinitionBody.", props.Location);
        }

        string? apiId = null;
        if (props.Get("RestApiId") is { } restApi)
        {
            apiId = restApi switch
            {
                MapNode r when r.IsIntrinsic(out var fn, out var arg) && fn == "Ref" && arg is ScalarNode s => s.Value,
                ScalarNode s => s.Value,
                _ => null,
            };
            if (apiId is null)
            {
                context.Problem(id, where + ".Properties.RestApiId", "RestApiId must be a Ref to an AWS::Serverless::Api of this template.", restApi.Location);
                return;
            }
        }

        var at = e.KeyLocation;
        events.Add(new ApiEvent(id, e.Key, path, method, apiId, at, SamResources.Condition(resource))
        {
            AliasId = alias,
            RequestModel = props.Get("RequestModel"),
            RequestParameters = props.Get("RequestParameters"),
        });
        if (apiId is not null && (resources.Get(apiId) as MapNode)?.GetString("Type") != SamApi.Type)
        {
            // Reported at the event (SamApi.ReportUnknownApis); a permission naming the missing API would be reported again.
            return;
        }

        var methodInArn = method is "any" ? "*" : method.ToUpperInvariant();

        // API Gateway calls a function with the path's trailing slash removed, so SAM removes one from the permission's path too.
        var arnPath = SamResources.ArnPath(path.Length > 1 && path.EndsWith('/') ? path[..^1] : path);
        var sourceArn = NodeFactory.Sub(
            $"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{__ApiId__}}/${{__Stage__}}/{methodInArn}{arnPath}",
            NodeFactory.Map(at, ("__ApiId__", NodeFactory.Ref(apiId ?? SamApi.ImplicitId, at)), ("__Stage__", NodeFactory.Str("*", at))),
            at);
        var permission = NodeFactory.Map(
            at,
            ("Action", NodeFactory.Str("lambda:InvokeFunction", at)),
            ("FunctionName", NodeFactory.Ref(alias ?? id, at)),
            ("Principal", NodeFactory.Str("apigateway.amazonaws.com", at)),
            ("SourceArn", sourceArn));
        output.Add(SamResources.Resource(SamLogicalIds.Permission(id + e.Key, PermissionSuffix(apiId, resources)), "AWS::Lambda::Permission", permission, at, resource));
    }

    /// <summary>
    /// What SAM ends a permission's logical id with: the stage it expects the event on, <c>Prod</c> for the implicit
    /// API, the explicit API's StageName as written, or <c>Stage</c> when that is not a literal.
    /// </summary>
    private static string PermissionSuffix(string? apiId, MapNode resources)
    {
        if (apiId is null)
        {
            return "Prod";
        }

        if ((resources.Get(apiId) as MapNode)?.Get("Properties") is not MapNode api || api.Get("StageName") is not { } stage)
        {
            // SAM's own fallback; an API without a StageName is reported where the API is expanded.
            return "AllStages";
        }

        return stage is ScalarNode { IsNull: false } literal ? literal.Value : "Stage";
    }
}
