using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Compute;
using Cloister.Model.Data;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Security;
using Cloister.Model.Validation;
using Cloister.Policy;
using Cloister.Templates.Code;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>Lambda functions (with their local code and execution role), DynamoDB tables (with their resource policy), load balancers and certificates.</summary>
internal sealed partial class ModelBuilder
{
    private static readonly string[] FixedResponseContentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];

    private static readonly ImmutableHashSet<string> Runtimes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "provided.al2023", "provided.al2", "dotnet8", "nodejs20.x", "nodejs22.x", "nodejs18.x",
        "python3.9", "python3.10", "python3.11", "python3.12", "python3.13");

    private readonly List<FunctionCode> _code = [];

    /// <summary>Every function's code, for the deployer.</summary>
    public IReadOnlyList<FunctionCode> Code => _code;

    private void BuildCompute()
    {
        BuildLayers();
        foreach (var r in OfType("AWS::Lambda::Function"))
        {
            BuildFunction(r);
        }

        BuildVersions();
        BuildPermissions();

        foreach (var r in OfType("AWS::DynamoDB::Table"))
        {
            BuildTable(r);
        }

        BuildLoadBalancing();
        foreach (var r in OfType("AWS::CertificateManager::Certificate"))
        {
            _certificates.Add(new Certificate(r.Id, r.LogicalId, r.Required("DomainName"), r.Strings("SubjectAlternativeNames")));
        }
    }

    private void BuildFunction(PropertyReader r)
    {
        if (r.Node("ImageUri") is not null || string.Equals(r.String("PackageType"), "Image", StringComparison.Ordinal))
        {
            r.Problem("PackageType", "Container image functions are not supported; give the code as a folder or .zip.");
            return;
        }

        var runtime = r.Required("Runtime");
        if (runtime.Length > 0 && !Runtimes.Contains(runtime))
        {
            r.Problem("Runtime", $"Cloister cannot run the runtime '{runtime}'; it runs {string.Join(", ", Runtimes.Order(StringComparer.Ordinal))}.");
        }

        // Lambda needs a Handler for every .zip package, a custom runtime's too (which passes it on as _HANDLER); a
        // provided.al2023 function without one loaded here and failed on AWS with "Handler is required".
        var handler = r.String("Handler");
        if (handler is null)
        {
            r.Problem("Handler", runtime.StartsWith("provided", StringComparison.Ordinal)
                ? $"is required for a .zip package, a custom runtime's too (the runtime reads it as _HANDLER; 'bootstrap' is usual for '{runtime}')."
                : $"is required for the runtime '{runtime}'.");
        }

        string? codePath = null;
        string? inline = null;
        CodeKind? kind = null;
        switch (r.Node("Code"))
        {
            case ScalarNode { IsNull: false } local:
                codePath = CodeLocator.Resolve(r.Resource.Location.File, local.Value, out var error);
                kind = codePath is null ? null : CodeLocator.Classify(codePath, out error);
                if (kind is null)
                {
                    r.ProblemAt(local, "Code", error);
                }
                else if (kind == CodeKind.Folder && runtime.StartsWith("provided", StringComparison.Ordinal) && r.Node("Layers") is null && !File.Exists(Path.Combine(codePath!, "bootstrap")))
                {
                    // Lambda takes such code and fails every invoke; the function's own error then said only "exit status 127".
                    r.WarningAt(local, "Code", $"'{codePath}' has no bootstrap file: AWS accepts it, but every invoke of a {runtime} function fails (Runtime.InvalidEntrypoint: Couldn't find valid bootstrap(s)).");
                }

                break;
            case MapNode code when code.Get("ZipFile") is ScalarNode zip:
                inline = zip.Value;
                kind = CodeKind.Inline;
                break;
            case MapNode code when code.Get("S3Bucket") is not null:
                r.Problem("Code", r.WrittenName("Code") == "CodeUri"
                    ? "Cloister reads no S3; give CodeUri as a local folder or .zip path (as before 'sam package'), or InlineCode."
                    : "Cloister reads no S3; give Code as a local folder or .zip path (as before 'aws cloudformation package'), or ZipFile.");
                break;
            default:
                r.Problem("Code", "is required: a local folder or .zip path, or { ZipFile: source }.");
                break;
        }

        var memory = r.Int("MemorySize", LambdaFunction.DefaultMemorySize);
        if (memory is < 128 or > 10240)
        {
            r.Problem("MemorySize", $"{memory} is not between 128 and 10240 MB.");
        }

        var timeout = r.Int("Timeout", LambdaFunction.DefaultTimeoutSeconds);
        if (timeout is < 1 or > 900)
        {
            r.Problem("Timeout", $"{timeout} is not between 1 and 900 seconds.");
        }

        var environment = r.Map("Environment") is { } env ? r.StringMap(r.Map(env, "Variables", "Environment.Variables"), "Environment.Variables") : ImmutableDictionary<string, string>.Empty;
        VpcConfig? vpc = null;
        if (r.Map("VpcConfig") is { } vpcConfig)
        {
            vpc = new VpcConfig(r.Strings(vpcConfig, "SubnetIds", "VpcConfig.SubnetIds"), r.Strings(vpcConfig, "SecurityGroupIds", "VpcConfig.SecurityGroupIds"));
        }

        int? reserved = r.Node("ReservedConcurrentExecutions") is null ? null : r.Int("ReservedConcurrentExecutions", 0);
        var role = r.String("Role");
        if (role is not null && !_roles.Exists(x => x.Arn == role))
        {
            r.WarningAt(r.Node("Role")!, "Role", $"{role} is not a role of these templates; Cloister cannot know its policies, so the function's calls are not limited by identity-based policies.");
        }
        else if (role is not null)
        {
            CheckFunctionRole(r, role);
        }

        var layers = FunctionLayers(r, runtime);
        _functions.Add(new LambdaFunction(r.LogicalId, r.Id, runtime, handler, codePath, inline, memory, timeout, environment, vpc, reserved, role) { Tags = FunctionTags(r), Layers = layers });
        if (kind is { } found)
        {
            _code.Add(new FunctionCode(r.Resource.StackName, r.LogicalId, r.Id, found, codePath, runtime, handler) { Layers = [.. layers.Select(l => _layerCode[l.Arn])] });
        }
    }

    private void BuildTable(PropertyReader r)
    {
        if (r.Node("StreamSpecification") is { } stream)
        {
            r.WarningAt(stream, "StreamSpecification", "Cloister does not run DynamoDB Streams: the table has no stream, nothing reads one, and its StreamArn names none.");
        }

        var definitions = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var attributes = r.Maps("AttributeDefinitions");
        for (var i = 0; i < attributes.Length; i++)
        {
            var name = r.String(attributes[i], "AttributeName", $"AttributeDefinitions[{i}].AttributeName", required: true) ?? string.Empty;
            var type = r.String(attributes[i], "AttributeType", $"AttributeDefinitions[{i}].AttributeType", required: true) ?? "S";
            if (type is not ("S" or "N" or "B"))
            {
                r.Problem($"AttributeDefinitions[{i}].AttributeType", $"'{type}' is not S, N or B.");
            }

            definitions[name] = type;
        }

        var keySchema = Keys(r, r.Resource.Properties, "KeySchema");
        var used = new HashSet<string>(keySchema.Select(k => k.AttributeName), StringComparer.Ordinal);
        var gsis = Indexes(r, "GlobalSecondaryIndexes", used);
        var lsis = Indexes(r, "LocalSecondaryIndexes", used);
        foreach (var key in used.Where(k => !definitions.ContainsKey(k)))
        {
            r.Problem("AttributeDefinitions", $"The key attribute '{key}' is not in AttributeDefinitions.");
        }

        foreach (var unused in definitions.Keys.Where(d => !used.Contains(d)))
        {
            r.Problem("AttributeDefinitions", $"'{unused}' is defined but is not a key of the table or an index (DynamoDB refuses that).");
        }

        var billing = r.String("BillingMode") ?? "PROVISIONED";
        if (billing is not ("PROVISIONED" or "PAY_PER_REQUEST"))
        {
            r.Problem("BillingMode", $"'{billing}' is not PROVISIONED or PAY_PER_REQUEST.");
        }
        else if (billing == "PROVISIONED" && r.Node("ProvisionedThroughput") is null)
        {
            r.Problem("ProvisionedThroughput", "is required when BillingMode is PROVISIONED (the default).");
        }

        string? ttl = null;
        if (r.Map("TimeToLiveSpecification") is { } spec && r.Bool(spec, "Enabled", "TimeToLiveSpecification.Enabled", false))
        {
            ttl = r.String(spec, "AttributeName", "TimeToLiveSpecification.AttributeName", required: true);
        }

        var resourcePolicy = r.Map("ResourcePolicy") is { } policy
            ? PolicyDocument(r, policy, "PolicyDocument", "ResourcePolicy.PolicyDocument", new PolicyParseOptions(PolicyKind.Resource))
            : null;
        _tables.Add(TableSettings(r, new Table(r.LogicalId, r.Id, keySchema, definitions.ToImmutable(), billing, gsis, lsis, ttl, resourcePolicy)));
    }

    /// <summary>
    /// A table's <c>Tags</c>, <c>TableClass</c>, <c>SSESpecification</c>, <c>PointInTimeRecoverySpecification</c> and
    /// <c>DeletionProtectionEnabled</c>, which the stack host gives the table service as CreateTable's, UpdateTable's and
    /// UpdateContinuousBackups' members (DynamoDB's own rules and
    /// messages then apply to them, as CloudFormation's handler passes them on).
    /// </summary>
    private static Table TableSettings(PropertyReader r, Table table)
    {
        var tableClass = r.String("TableClass");
        if (tableClass is not (null or "STANDARD" or "STANDARD_INFREQUENT_ACCESS"))
        {
            r.Problem("TableClass", $"'{tableClass}' is not STANDARD or STANDARD_INFREQUENT_ACCESS.");
        }

        var sse = r.Map("SSESpecification");
        var pitr = r.Map("PointInTimeRecoverySpecification");
        var pitrEnabled = pitr is not null && r.Bool(pitr, "PointInTimeRecoveryEnabled", "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", false);
        var days = pitr?.Get("RecoveryPeriodInDays") is null ? (int?)null
            : r.Int(pitr, "RecoveryPeriodInDays", "PointInTimeRecoverySpecification.RecoveryPeriodInDays", 35);
        return table with
        {
            Tags = [.. NodeFactory.Items(r.Node("Tags")).OfType<MapNode>().Select(tag => KeyValuePair.Create(tag.GetString("Key") ?? string.Empty, tag.GetString("Value") ?? string.Empty))],
            TableClass = tableClass,
            SseEnabled = sse is not null && r.Bool(sse, "SSEEnabled", "SSESpecification.SSEEnabled", false),
            SseKmsKeyId = sse is null ? null : r.String(sse, "KMSMasterKeyId", "SSESpecification.KMSMasterKeyId"),
            PointInTimeRecovery = pitrEnabled,
            RecoveryPeriodInDays = pitrEnabled ? days : null,
            DeletionProtection = r.Bool("DeletionProtectionEnabled", false),
        };
    }

    private static ImmutableArray<KeyElement> Keys(PropertyReader r, MapNode owner, string path)
    {
        var keys = r.Maps(owner, "KeySchema", path).Select((k, i) => new KeyElement(
            r.String(k, "AttributeName", $"{path}[{i}].AttributeName", required: true) ?? string.Empty,
            r.String(k, "KeyType", $"{path}[{i}].KeyType", required: true) ?? "HASH")).ToImmutableArray();
        if (keys.Length is < 1 or > 2 || keys[0].KeyType != "HASH" || (keys.Length == 2 && keys[1].KeyType != "RANGE"))
        {
            r.Problem(path, "A key schema is one HASH key, optionally followed by one RANGE key.");
        }

        return keys;
    }

    private static ImmutableArray<SecondaryIndex> Indexes(PropertyReader r, string property, HashSet<string> used)
    {
        var indexes = r.Maps(property);
        var result = ImmutableArray.CreateBuilder<SecondaryIndex>();
        for (var i = 0; i < indexes.Length; i++)
        {
            var path = $"{property}[{i}]";
            var keys = Keys(r, indexes[i], path + ".KeySchema");
            used.UnionWith(keys.Select(k => k.AttributeName));
            var projection = r.Map(indexes[i], "Projection", path + ".Projection");
            result.Add(new SecondaryIndex(
                r.String(indexes[i], "IndexName", path + ".IndexName", required: true) ?? string.Empty,
                keys,
                projection?.GetString("ProjectionType") ?? "ALL",
                projection is null ? [] : r.Strings(projection, "NonKeyAttributes", path + ".Projection.NonKeyAttributes")));
        }

        return result.ToImmutable();
    }

    private void BuildLoadBalancing()
    {
        foreach (var r in OfType("AWS::ElasticLoadBalancingV2::LoadBalancer"))
        {
            var typeText = r.String("Type") ?? "application";
            if (typeText is not ("application" or "network"))
            {
                r.Problem("Type", $"'{typeText}' is not application or network (Cloister runs no gateway load balancers).");
            }

            CheckLoadBalancerName(r);
            var subnets = r.Strings("Subnets").AddRange(r.Maps("SubnetMappings").Select((m, i) => r.String(m, "SubnetId", $"SubnetMappings[{i}].SubnetId", required: true) ?? string.Empty));
            var scheme = r.String("Scheme") ?? InternetFacing;
            CheckInternetFacing(r, scheme, subnets);
            _loadBalancers.Add(new LoadBalancer(
                r.Id,
                r.LogicalId,
                r.Resource.Attribute("LoadBalancerName"),
                typeText == "network" ? LoadBalancerType.Network : LoadBalancerType.Application,
                string.Equals(scheme, "internal", StringComparison.Ordinal),
                subnets,
                r.Strings("SecurityGroups"),
                r.Resource.Attribute("DNSName"))
            {
                IdleTimeoutSeconds = IdleTimeoutOf(r),
                ClientKeepAliveSeconds = ClientKeepAliveOf(r),
            });
        }

        foreach (var r in OfType("AWS::ElasticLoadBalancingV2::TargetGroup"))
        {
            CheckTargetGroupName(r);
            var protocol = r.String("Protocol") ?? "HTTP";
            var http = protocol is "HTTP" or "HTTPS";
            var healthProtocol = r.String("HealthCheckProtocol") ?? (http ? protocol : "TCP");
            var matcher = r.Map("Matcher")?.GetString("HttpCode") ?? (http ? "200" : "200-399");
            var interval = r.Int("HealthCheckIntervalSeconds", 30);
            var health = new HealthCheck(
                healthProtocol,
                healthProtocol is "HTTP" or "HTTPS" ? r.String("HealthCheckPath") ?? "/" : null,
                r.String("HealthCheckPort") ?? "traffic-port",
                matcher,
                interval,
                r.Int("HealthyThresholdCount", 5),
                r.Int("UnhealthyThresholdCount", 2))
            {
                TimeoutSeconds = HealthCheckTimeoutOf(r, interval),
            };
            CheckHealthLimits(r, protocol, health);
            var targets = r.Maps("Targets").Select((t, i) =>
            {
                var id = r.String(t, "Id", $"Targets[{i}].Id", required: true) ?? string.Empty;
                return t.GetString("Port") is { } port ? $"{id}:{port}" : id;
            });
            _targetGroups.Add(new TargetGroup(r.Id, r.LogicalId, r.Resource.Attribute("TargetGroupName"), protocol, r.Int("Port", 80), r.String("VpcId") ?? string.Empty, r.String("TargetType") ?? "instance", [.. targets], health)
            {
                Attributes = TargetGroupAttributesOf(r),
            });
        }

        foreach (var r in OfType("AWS::ElasticLoadBalancingV2::Listener"))
        {
            var protocol = r.String("Protocol") ?? "HTTP";
            var certificates = r.Maps("Certificates").Select((c, i) => r.String(c, "CertificateArn", $"Certificates[{i}].CertificateArn", required: true) ?? string.Empty).ToImmutableArray();
            if (protocol is "HTTPS" or "TLS" && certificates.IsEmpty)
            {
                r.Problem("Certificates", $"A {protocol} listener needs a certificate.");
            }

            var action = TerminalAction(r, "DefaultActions", protocol);
            _listeners.Add(new Listener(r.Id, r.LogicalId, r.Required("LoadBalancerArn"), protocol, r.Int("Port", 80), certificates, action)
            {
                TcpIdleTimeoutSeconds = TcpIdleTimeoutOf(r, protocol),
            });
        }

        foreach (var r in OfType("AWS::ElasticLoadBalancingV2::ListenerRule"))
        {
            var listenerArn = r.Required("ListenerArn");
            var listenerProtocol = _listeners.FirstOrDefault(l => l.Id == listenerArn)?.Protocol ?? "HTTP";
            var action = TerminalAction(r, "Actions", listenerProtocol);
            var priority = r.Int("Priority", 0);
            if (priority is < 1 or > 50000)
            {
                r.Problem("Priority", $"'{priority}' is not a rule priority (1 to 50000).");
            }

            var conditions = r.Maps("Conditions").Select((c, i) => RuleCondition(r, c, $"Conditions[{i}]")).OfType<RuleCondition>().ToImmutableArray();
            _listenerRules.Add(new ListenerRule(r.Id, r.LogicalId, listenerArn, priority, conditions, action));
        }
    }

    /// <summary>
    /// The action a listener or rule ends in (ELB runs authenticate actions first; Cloister has none to run): the
    /// first forward, fixed-response or redirect in <c>Order</c>. One that cannot be read (its problem reported) is a
    /// forward to nothing.
    /// </summary>
    private static ListenerAction TerminalAction(PropertyReader r, string property, string listenerProtocol)
    {
        var actions = r.Maps(property);
        var terminal = actions
            .Select((a, i) => (Action: a, Index: i, Type: a.GetString("Type")?.ToLowerInvariant()))
            .Where(a => a.Type is "forward" or "fixed-response" or "redirect")
            .OrderBy(a => int.TryParse(a.Action.GetString("Order"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var order) ? order : int.MaxValue)
            .ThenBy(a => a.Index)
            .FirstOrDefault();
        var path = $"{property}[{terminal.Index}]";
        ListenerAction? action = terminal.Type switch
        {
            "forward" => Forward(r, terminal.Action, path),
            "fixed-response" => FixedResponse(r, r.Map(terminal.Action, "FixedResponseConfig", path + ".FixedResponseConfig"), path + ".FixedResponseConfig"),
            "redirect" => Redirect(r, r.Map(terminal.Action, "RedirectConfig", path + ".RedirectConfig"), path + ".RedirectConfig", listenerProtocol),
            _ => null,
        };
        if (terminal.Type is null)
        {
            r.Problem(property, "needs a forward, fixed-response or redirect action (Cloister runs no authenticate actions).");
        }

        return action ?? new ForwardAction([]);
    }

    /// <summary>
    /// A forward to <c>TargetGroupArn</c>, or to <c>ForwardConfig.TargetGroups</c> by weight (1 when a group gives
    /// none); with both, ForwardConfig may hold only that same group, as ELB requires. Target group stickiness, when
    /// enabled, needs its duration.
    /// </summary>
    private static ForwardAction Forward(PropertyReader r, MapNode action, string path)
    {
        var single = r.String(action, "TargetGroupArn", path + ".TargetGroupArn");
        var tuplesPath = path + ".ForwardConfig.TargetGroups";
        var config = r.Map(action, "ForwardConfig", path + ".ForwardConfig");
        var groups = (config is null ? [] : r.Maps(config, "TargetGroups", tuplesPath))
            .Select((tuple, i) => new WeightedTargetGroup(
                r.String(tuple, "TargetGroupArn", $"{tuplesPath}[{i}].TargetGroupArn", required: true) ?? string.Empty,
                r.Int(tuple, "Weight", $"{tuplesPath}[{i}].Weight", 1)))
            .ToImmutableArray();
        if (single is not null)
        {
            if (groups.Length > 1 || (groups.Length == 1 && groups[0].TargetGroupId != single))
            {
                r.Problem(tuplesPath, "With a TargetGroupArn, ForwardConfig can hold only that same target group.");
            }

            groups = groups.IsEmpty ? [new WeightedTargetGroup(single, 1)] : groups;
        }

        var forward = new ForwardAction(groups, config is null ? null : StickinessSeconds(r, config, path + ".ForwardConfig.TargetGroupStickinessConfig"));
        if (groups.IsEmpty)
        {
            r.Problem(path, "A forward action needs a TargetGroupArn (or ForwardConfig.TargetGroups).");
        }
        else
        {
            foreach (var (property, message) in ListenerChecks.Forward(forward))
            {
                r.Problem($"{path}.ForwardConfig.{property}", message);
            }
        }

        return forward;
    }

    private static int? StickinessSeconds(PropertyReader r, MapNode forwardConfig, string path)
    {
        var stickiness = r.Map(forwardConfig, "TargetGroupStickinessConfig", path);
        if (stickiness is null || !r.Bool(stickiness, "Enabled", path + ".Enabled", false))
        {
            return null;
        }

        if (stickiness.Get("DurationSeconds") is null)
        {
            r.Problem(path + ".DurationSeconds", "is required when target group stickiness is enabled.");
            return null;
        }

        // An unreadable duration is reported by Int; int.MinValue keeps it from being reported again as out of range.
        var seconds = r.Int(stickiness, "DurationSeconds", path + ".DurationSeconds", int.MinValue);
        return seconds == int.MinValue ? null : seconds;
    }

    private static FixedResponseAction? FixedResponse(PropertyReader r, MapNode? config, string path)
    {
        if (config is null)
        {
            r.Problem(path, "is required for a fixed-response action.");
            return null;
        }

        var status = r.String(config, "StatusCode", path + ".StatusCode", required: true);
        if (status is null || status.Length != 3 || status[0] is not ('2' or '4' or '5') || !int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            if (status is not null)
            {
                r.Problem(path + ".StatusCode", $"'{status}' is not a 2XX, 4XX or 5XX status code.");
            }

            return null;
        }

        var contentType = r.String(config, "ContentType", path + ".ContentType");
        if (contentType is not null && !FixedResponseContentTypes.Contains(contentType, StringComparer.Ordinal))
        {
            r.Problem(path + ".ContentType", $"'{contentType}' is not one of {string.Join(", ", FixedResponseContentTypes)}.");
        }

        var body = r.String(config, "MessageBody", path + ".MessageBody");
        if (body is { Length: > 1024 })
        {
            r.Problem(path + ".MessageBody", "is longer than 1,024 characters.");
        }

        return new FixedResponseAction(code, contentType, body);
    }

    private static RedirectAction? Redirect(PropertyReader r, MapNode? config, string path, string listenerProtocol)
    {
        if (config is null)
        {
            r.Problem(path, "is required for a redirect action.");
            return null;
        }

        var status = r.String(config, "StatusCode", path + ".StatusCode", required: true);
        var code = status switch { "HTTP_301" => 301, "HTTP_302" => 302, _ => 0 };
        if (code == 0)
        {
            if (status is not null)
            {
                r.Problem(path + ".StatusCode", $"'{status}' is not HTTP_301 or HTTP_302.");
            }

            return null;
        }

        var defaults = RedirectAction.Defaults(code);
        var redirect = new RedirectAction(
            r.String(config, "Protocol", path + ".Protocol") ?? defaults.Protocol,
            r.String(config, "Host", path + ".Host") ?? defaults.Host,
            r.String(config, "Port", path + ".Port") ?? defaults.Port,
            r.String(config, "Path", path + ".Path") ?? defaults.Path,
            r.String(config, "Query", path + ".Query") ?? defaults.Query,
            code);
        foreach (var (property, message) in ListenerChecks.Redirect(redirect, listenerProtocol))
        {
            r.Problem(property.Length == 0 ? path : $"{path}.{property}", message);
        }

        return redirect;
    }

    /// <summary>
    /// A condition as <c>Field</c> with <c>Values</c>, or with its <c>HostHeaderConfig</c>/<c>PathPatternConfig</c>/...
    /// block; <c>http-header</c> and <c>query-string</c> only with their blocks (a header name, key/value pairs).
    /// <c>RegexValues</c> (host-header, path-pattern and http-header only) likewise beside <c>Field</c> or in the block.
    /// </summary>
    private static RuleCondition? RuleCondition(PropertyReader r, MapNode condition, string path)
    {
        var field = r.String(condition, "Field", path + ".Field", required: true);
        var config = field switch
        {
            "host-header" => "HostHeaderConfig",
            "path-pattern" => "PathPatternConfig",
            "http-request-method" => "HttpRequestMethodConfig",
            "source-ip" => "SourceIpConfig",
            "http-header" => "HttpHeaderConfig",
            "query-string" => "QueryStringConfig",
            null => null,
            _ => string.Empty,
        };
        if (config is null)
        {
            return null;
        }

        if (config.Length == 0)
        {
            r.Problem(path + ".Field", $"'{field}' is not a condition Cloister evaluates (host-header, path-pattern, http-request-method, source-ip, http-header, query-string).");
            return null;
        }

        var block = r.Map(condition, config, path + "." + config);
        // RegexValues, like Values, may be written beside Field or in the condition's block.
        var takesRegexes = field is "host-header" or "path-pattern" or "http-header";
        var regexes = takesRegexes
            ? r.Strings(condition, "RegexValues", path + ".RegexValues").AddRange(block is null ? [] : r.Strings(block, "RegexValues", $"{path}.{config}.RegexValues"))
            : [];
        var built = field switch
        {
            "http-header" => new RuleCondition(field, block is null ? [] : r.Strings(block, "Values", $"{path}.{config}.Values"))
            {
                HttpHeaderName = block is null ? null : r.String(block, "HttpHeaderName", $"{path}.{config}.HttpHeaderName"),
            },
            "query-string" => new RuleCondition(field, []) { QueryStrings = block is null ? [] : QueryStringPairs(r, block, $"{path}.{config}.Values") },
            _ => new RuleCondition(field!, r.Strings(condition, "Values", path + ".Values").AddRange(block is null ? [] : r.Strings(block, "Values", $"{path}.{config}.Values"))),
        };
        built = built with { RegexValues = regexes };
        var besideField = condition.Get("Values") is not null;
        if (besideField && block?.Get("Values") is not null && field is not ("http-header" or "query-string"))
        {
            // ELB's CreateRule refuses the values in both places (ValidationError) before looking at any of them.
            r.Problem(path, $"You cannot provide both Values and '{config}' for a condition of type '{field}'");
            return built;
        }

        if (condition.Get("RegexValues") is not null && !takesRegexes)
        {
            r.Problem(path + ".RegexValues", $"is for host-header, path-pattern and http-header conditions, not {field}.");
        }

        if (built.Field is "http-header" or "query-string")
        {
            if (condition.Get("Values") is not null)
            {
                r.Problem(path + ".Values", $"is for host-header and path-pattern conditions; give the {field} condition's values in {config}.");
            }
        }
        else if (built.Values.IsEmpty && built.RegexValues.IsEmpty)
        {
            r.Problem(path, $"The {field} condition has no values.");
        }

        foreach (var (property, message) in ListenerChecks.Condition(built, besideField ? "Values" : null))
        {
            r.Problem($"{path}.{property}", message);
        }

        return built;
    }

    private static ImmutableArray<QueryStringPair> QueryStringPairs(PropertyReader r, MapNode config, string path) =>
        [.. r.Maps(config, "Values", path).Select((pair, i) => new QueryStringPair(
            r.String(pair, "Key", $"{path}[{i}].Key") is { Length: > 0 } key ? key : null,
            r.String(pair, "Value", $"{path}[{i}].Value") ?? string.Empty))];
}
