using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Host.Tables;
using Cloister.Model;
using Cloister.Model.Data;
using Cloister.Model.Network;
using Cloister.Network.Runtime;
using Cloister.Templates;

namespace Cloister.Host.Update;

/// <summary>
/// The change set of a deployment to running stacks: each resource added, removed or modified (its resolved properties
/// differ, or for a function its code), and for each the reason a running sandbox cannot make it, when it cannot. What
/// changes live: security groups, network ACLs, routes and route tables, API Gateway, Route 53 and resolver rules,
/// Lambda functions and their versions, aliases, permissions and layers, tables (new, and a table's settings, encryption and one global secondary index created or deleted), log groups, IAM roles, policies
/// and instance profiles (an instance's profile too), VPC endpoint policies, SSM parameters, and resources Cloister
/// accepts without running. Everything that places hosts, links or namespaces needs the sandbox rebuilt.
/// </summary>
internal static class StackChanges
{
    private const string TableType = "AWS::DynamoDB::Table";

    /// <summary>Resource types whose every change needs the sandbox rebuilt, with what the refusal calls them.</summary>
    private static readonly Dictionary<string, string> Structural = new(StringComparer.Ordinal)
    {
        ["AWS::EC2::VPC"] = "VPCs",
        ["AWS::EC2::Subnet"] = "subnets",
        ["AWS::EC2::Instance"] = "instances",
        ["AWS::EC2::VPCPeeringConnection"] = "peering connections",
        ["AWS::EC2::VPNGateway"] = "VPN gateways",
        ["AWS::EC2::VPNConnection"] = "VPN connections",
        ["AWS::EC2::VPNConnectionRoute"] = "VPN connection routes",
        ["AWS::EC2::VPNGatewayRoutePropagation"] = "route propagation",
        ["AWS::EC2::CustomerGateway"] = "customer gateways",
        ["AWS::EC2::NatGateway"] = "NAT gateways",
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "load balancers",
        ["AWS::ElasticLoadBalancingV2::Listener"] = "load balancer listeners",
        ["AWS::ElasticLoadBalancingV2::ListenerRule"] = "load balancer listener rules",
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = "target groups",
        ["AWS::Route53Resolver::ResolverEndpoint"] = "resolver endpoints",
        ["Cloister::OnPremises::Network"] = "on-premises networks",
        ["Cloister::OnPremises::Host"] = "on-premises hosts",
    };

    /// <summary>
    /// What to do about a table Cloister will not change in place: <c>down</c> and <c>up</c> keep a table as it is (its state
    /// survives them), so the table goes and comes back through two deployments.
    /// </summary>
    private const string TableRemedy = "deploy without the table (it is deleted with its items), then with it; down and up keep a table as it is";

    /// <summary>Resource types changed live, in the order their changes are applied.</summary>
    private static readonly string[] LivePrefixes =
    [
        "AWS::DynamoDB::Table",
        "AWS::Lambda::",
        "AWS::EC2::SecurityGroup", "AWS::EC2::NetworkAcl", "AWS::EC2::SubnetNetworkAclAssociation", "AWS::EC2::Route",
        "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::PrefixList",
        "AWS::Route53::", "AWS::Route53Resolver::",
        "AWS::ApiGateway::", "AWS::CertificateManager::",
        "AWS::Logs::",
        "AWS::IAM::", "AWS::SSM::Parameter",
    ];

    /// <summary>
    /// The changes from the running stacks to the reloaded ones (ids aligned, <see cref="IdAlignment"/>), with
    /// <paramref name="codeChanged"/> the functions (by name) whose code changed though their template did not.
    /// </summary>
    public static List<ResourceChange> Between(
        ImmutableArray<StackSummary> running, ImmutableArray<StackSummary> stacks, CloudModel runningModel, CloudModel model, IReadOnlySet<string> codeChanged)
    {
        var changes = new List<ResourceChange>();
        foreach (var stack in stacks)
        {
            var before = running.First(s => s.StackName == stack.StackName).Resources.ToDictionary(r => r.LogicalResourceId, StringComparer.Ordinal);
            var after = stack.Resources.ToDictionary(r => r.LogicalResourceId, StringComparer.Ordinal);
            foreach (var resource in stack.Resources)
            {
                if (!before.TryGetValue(resource.LogicalResourceId, out var old))
                {
                    changes.Add(Change(stack.StackName, resource, ChangeAction.Add, runningModel, model));
                }
                else if (old.ResourceType != resource.ResourceType)
                {
                    changes.Add(new ResourceChange(stack.StackName, resource.LogicalResourceId, resource.ResourceType, ChangeAction.Modify,
                        $"its type changes from {old.ResourceType}, which replaces it"));
                }
                else if (old.PropertiesJson != resource.PropertiesJson || (resource.ResourceType == "AWS::Lambda::Function" && codeChanged.Contains(resource.PhysicalResourceId)))
                {
                    changes.Add(Change(stack.StackName, resource, ChangeAction.Modify, runningModel, model, old));
                }
            }

            changes.AddRange(running.First(s => s.StackName == stack.StackName).Resources
                .Where(r => !after.ContainsKey(r.LogicalResourceId))
                .Select(r => Change(stack.StackName, r, ChangeAction.Remove, runningModel, model)));
        }

        return changes;
    }

    /// <summary>The change of one resource, with the reason it cannot be made live, when it cannot.</summary>
    private static ResourceChange Change(string stackName, StackResource resource, ChangeAction action, CloudModel runningModel, CloudModel model, StackResource? old = null)
    {
        var type = resource.ResourceType;
        string? refusal = null;
        if (type == "AWS::EC2::Instance" && action == ChangeAction.Modify && OnlyLiveFieldsDiffer(resource.PhysicalResourceId, runningModel, model))
        {
            // EC2 changes a VPC instance's groups and its instance profile without interruption; the fabric applies the
            // groups to its host, the callers' directory and the metadata service the profile's role.
        }
        else if (Structural.TryGetValue(type, out var what))
        {
            refusal = $"a running sandbox cannot {Verb(action)} {what}";
        }
        else if (type == "AWS::EC2::VPCEndpoint")
        {
            refusal = EndpointRefusal(resource, action, runningModel, model);
        }
        else if (type == TableType && action == ChangeAction.Modify && old is not null && old.PhysicalResourceId != resource.PhysicalResourceId)
        {
            // A new TableName, or a generated one drawn again for a replacement (WithoutReplacedTables): the new table is
            // created, every reference follows its name, and the cleanup deletes the old one.
            return new ResourceChange(stackName, resource.LogicalResourceId, type, action) { ReplacedPhysicalId = old.PhysicalResourceId };
        }
        else if (type == TableType && action == ChangeAction.Modify)
        {
            if (TableRefusal(resource, runningModel, model) is { } table)
            {
                return new ResourceChange(stackName, resource.LogicalResourceId, type, action, table.Refusal) { Remedy = table.Remedy };
            }
        }
        else if (resource.Modelled && !LivePrefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal)))
        {
            refusal = $"Cloister does not apply changes of {type} to running stacks";
        }

        return new ResourceChange(stackName, resource.LogicalResourceId, type, action, refusal);
    }

    /// <summary>
    /// Why a modified table (under the same name) cannot change in place, with what to do about it, or null when only what
    /// CloudFormation updates without interruption differs and Cloister applies it (tags, time to live, point-in-time
    /// recovery, deletion protection, table class, billing mode and throughput, resource policy, encryption, and one global
    /// secondary index created or deleted). A new <c>KeySchema</c>, key attribute type or <c>LocalSecondaryIndexes</c>
    /// replaces the table; with a <c>TableName</c> in the template CloudFormation refuses that, in its words (a table whose
    /// name is generated is replaced under a new one, <see cref="WithoutReplacedTables"/>). More than one index created or
    /// deleted, or an index's key or projection changed, CloudFormation fails in its words
    /// (<see cref="GlobalIndexChanges.UpdateRefusal"/>); Cloister refuses them before anything changes.
    /// </summary>
    private static (string Refusal, string Remedy)? TableRefusal(StackResource resource, CloudModel runningModel, CloudModel model)
    {
        var tableName = resource.PhysicalResourceId;
        if (runningModel.Tables.FirstOrDefault(t => t.TableName == tableName) is not { } old || model.Tables.FirstOrDefault(t => t.TableName == tableName) is not { } next)
        {
            return ("the running model does not hold the table", TableRemedy);
        }

        if (Replaced(old, next) is { } replaced)
        {
            return CustomNamed(resource)
                ? ($"{replaced}, which replaces the table: CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename {tableName} and update the stack again.",
                    "give the table another TableName (CloudFormation then creates the new table and deletes this one with its items), or " + TableRemedy)
                : ($"{replaced}, which replaces the table (CloudFormation creates the new table and deletes the old one with its items)", TableRemedy);
        }

        var indexes = GlobalIndexChanges.Between(old, next);
        return indexes.UpdateRefusal switch
        {
            null => null,
            GlobalIndexChanges.TooMany => ($"its GlobalSecondaryIndexes change ({indexes}): {GlobalIndexChanges.TooMany}", "create or delete one global secondary index per deployment"),
            var refusal => ($"its GlobalSecondaryIndexes change ({indexes}): {refusal}", "delete the index in one deployment and create it with its new key or projection in the next, or create it under another name and delete the old one in the next"),
        };
    }

    /// <summary>What of <paramref name="next"/> replaces the table <paramref name="old"/> on AWS (its key or local secondary indexes), or null.</summary>
    internal static string? Replaced(Table old, Table next) =>
        TableShape.Key(old) != TableShape.Key(next) ? "its KeySchema or the type of a key attribute changes"
        : TableShape.LocalIndexes(old) != TableShape.LocalIndexes(next) ? "its LocalSecondaryIndexes change"
        : null;

    /// <summary>
    /// <paramref name="generated"/> (the reload's drawn tokens, <see cref="IdAlignment.GeneratedTokens"/>) without those of
    /// the generated names of tables CloudFormation replaces: a table without a <c>TableName</c> whose key schema, key
    /// attribute types or local secondary indexes change is created under a new generated name on AWS, every <c>Ref</c> and
    /// <c>GetAtt</c> following it, and the old one deleted in the cleanup. Its reloaded name is then not aligned to the
    /// running one (<see cref="IdAlignment.Align"/>), and the change set shows it replaced.
    /// </summary>
    public static IReadOnlySet<string> WithoutReplacedTables(
        IReadOnlySet<string> generated, ImmutableArray<StackSummary> running, CloudModel runningModel, ImmutableArray<StackSummary> stacks, CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            var before = running.FirstOrDefault(s => s.StackName == stack.StackName)?.Resources ?? [];
            foreach (var resource in stack.Resources.Where(r => r.ResourceType == TableType && !CustomNamed(r)))
            {
                if (before.FirstOrDefault(r => r.LogicalResourceId == resource.LogicalResourceId && r.ResourceType == TableType) is { } old
                    && runningModel.Tables.FirstOrDefault(t => t.TableName == old.PhysicalResourceId) is { } oldTable
                    && model.Tables.FirstOrDefault(t => t.TableName == resource.PhysicalResourceId) is { } next
                    && Replaced(oldTable, next) is not null)
                {
                    replaced.UnionWith(resource.PhysicalResourceId.Split(['-', '_', '.']).Where(generated.Contains));
                }
            }
        }

        return replaced.Count == 0 ? generated : generated.Where(t => !replaced.Contains(t)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the template names the table (<c>TableName</c>), rather than leaving CloudFormation to generate its name.</summary>
    internal static bool CustomNamed(StackResource resource)
    {
        using var properties = JsonDocument.Parse(resource.PropertiesJson);
        return properties.RootElement.ValueKind == JsonValueKind.Object && properties.RootElement.TryGetProperty("TableName", out _);
    }

    /// <summary>Whether the instance's record differs only in its security groups and instance profile role (and its template's properties with them).</summary>
    private static bool OnlyLiveFieldsDiffer(string instanceId, CloudModel runningModel, CloudModel model) =>
        runningModel.Instances.FirstOrDefault(i => i.Id == instanceId) is { } old
        && model.Instances.FirstOrDefault(i => i.Id == instanceId) is { } next
        && JsonSerializer.Serialize(WithoutLiveFields(old), RuntimeState.Json) == JsonSerializer.Serialize(WithoutLiveFields(next), RuntimeState.Json);

    /// <summary>An instance without what changes live: its security groups and its instance profile's role.</summary>
    private static Instance WithoutLiveFields(Instance instance) =>
        instance with { SecurityGroupIds = [], InstanceProfileRole = null, InstanceProfileRoleAssumable = true, InstanceProfileArn = null };

    private static string Verb(ChangeAction action) => action switch
    {
        ChangeAction.Add => "add",
        ChangeAction.Remove => "remove",
        _ => "change",
    };

    /// <summary>
    /// A gateway endpoint only adds routes to its route tables, so a new, removed or changed gateway endpoint changes
    /// live; an interface endpoint has network interfaces in its subnets, so only its policy changes live. Endpoint
    /// policies are read by the regional services from a table the deployment swaps.
    /// </summary>
    private static string? EndpointRefusal(StackResource resource, ChangeAction action, CloudModel runningModel, CloudModel model)
    {
        var old = runningModel.VpcEndpoints.FirstOrDefault(e => e.Id == resource.PhysicalResourceId);
        var next = model.VpcEndpoints.FirstOrDefault(e => e.Id == resource.PhysicalResourceId);
        if ((old ?? next) is not { } endpoint || endpoint.Type != VpcEndpointType.Gateway || (next is not null && next.Type != VpcEndpointType.Gateway))
        {
            return old is not null && next is not null && WithoutPolicy(old) == WithoutPolicy(next)
                ? null
                : $"a running sandbox cannot {Verb(action)} interface endpoints (their network interfaces are hosts of the sandbox)";
        }

        return null;

        static string WithoutPolicy(VpcEndpoint endpoint) => JsonSerializer.Serialize(endpoint with { PolicyDocument = null }, RuntimeState.Json);
    }

    /// <summary>
    /// The model's records that still differ where the sandbox's hosts come from (VPCs, subnets, instances but for their
    /// security groups, peerings, on-premises networks, resolver endpoints, load balancers), for a change no resource
    /// above was refused for: one line each. A resource's change can reach them indirectly (a function's VPC configuration places its ENIs).
    /// </summary>
    public static IEnumerable<string> StructuralRecords(CloudModel running, CloudModel model)
    {
        IEnumerable<string> Compare<T>(string what, Func<CloudModel, ImmutableArray<T>> select, Func<T, T>? live = null)
            where T : IResource
        {
            live ??= r => r;
            var before = select(running).ToDictionary(r => r.Id, r => JsonSerializer.Serialize(live(r), RuntimeState.Json), StringComparer.Ordinal);
            var after = select(model).ToDictionary(r => r.Id, r => JsonSerializer.Serialize(live(r), RuntimeState.Json), StringComparer.Ordinal);
            foreach (var record in select(model).Where(r => !before.TryGetValue(r.Id, out var json) || json != after[r.Id]))
            {
                var change = before.TryGetValue(record.Id, out var old) ? $"changed ({string.Join(", ", Fields(old, after[record.Id]))})" : "added";
                yield return $"{record.LogicalId} ({what} {record.Id}): {change}; a running sandbox cannot change {what}s: ./cloister down && ./cloister up";
            }

            foreach (var record in select(running).Where(r => !after.ContainsKey(r.Id)))
            {
                yield return $"{record.LogicalId} ({what} {record.Id}): removed; a running sandbox cannot remove {what}s: ./cloister down && ./cloister up";
            }
        }

        return
        [
            .. Compare("VPC", m => m.Vpcs),
            .. Compare("subnet", m => m.Subnets),
            .. Compare("instance", m => m.Instances, WithoutLiveFields),
            .. Compare("peering connection", m => m.PeeringConnections),
            .. Compare("on-premises network", m => m.OnPremisesNetworks),
            .. Compare("resolver endpoint", m => m.ResolverEndpoints),
            .. Compare("load balancer", m => m.LoadBalancers),
            .. Compare("target group", m => m.TargetGroups),
            .. Compare("listener", m => m.Listeners),
            .. Compare("listener rule", m => m.ListenerRules),
            .. Compare<VpcEndpoint>("interface endpoint", m => [.. m.VpcEndpoints.Where(e => e.Type != VpcEndpointType.Gateway)], e => e with { PolicyDocument = null }),
        ];
    }

    /// <summary>The top-level fields whose values differ between two records' JSON.</summary>
    private static IEnumerable<string> Fields(string old, string next)
    {
        var a = System.Text.Json.Nodes.JsonNode.Parse(old)!.AsObject();
        var b = System.Text.Json.Nodes.JsonNode.Parse(next)!.AsObject();
        return b.Where(p => !System.Text.Json.Nodes.JsonNode.DeepEquals(p.Value, a[p.Key])).Select(p => p.Key);
    }
}
