using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>Ref, Fn::GetAtt, Fn::ImportValue and the pseudo parameters.</summary>
internal sealed partial class IntrinsicEvaluator
{
    public static readonly IReadOnlySet<string> PseudoParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    private Node? Ref(Node argument, Where where)
    {
        if (argument is not ScalarNode { IsNull: false } target)
        {
            Fail(argument, where, $"Ref needs the name of a parameter, resource or pseudo parameter, not {argument.KindName}.");
            return Placeholder(argument);
        }

        var at = target.Location;
        switch (target.Value)
        {
            case "AWS::NoValue":
                return null;
            case "AWS::Region":
                return ScalarNode.String(state.Account.Region, at);
            case "AWS::AccountId":
                return ScalarNode.String(state.Account.AccountId, at);
            case "AWS::Partition":
                return ScalarNode.String(state.Account.Partition, at);
            case "AWS::URLSuffix":
                return ScalarNode.String(state.Account.UrlSuffix, at);
            case "AWS::StackName":
                return ScalarNode.String(state.StackName, at);
            case "AWS::StackId":
                return ScalarNode.String(state.StackId, at);
            case "AWS::NotificationARNs":
                return new ListNode([], at);
        }

        if (state.Parameters.TryGetValue(target.Value, out var parameter))
        {
            return Relocate(parameter, at);
        }

        if (InCondition(target.Value, target, where))
        {
            return Placeholder(target);
        }

        if (Resource(target.Value, target, where) is { } resource)
        {
            return ScalarNode.String(resource.RefValue, at);
        }

        return Placeholder(target);
    }

    private Node GetAtt(Node argument, Where where, int depth)
    {
        string? logicalId = null;
        string? attribute = null;
        if (argument is ScalarNode { IsNull: false } dotted && dotted.Value.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
        {
            logicalId = dotted.Value[..dot];
            attribute = dotted.Value[(dot + 1)..];
        }
        else if (argument is ListNode { Items.Length: 2 } list && list.Items[0] is ScalarNode { IsNull: false } id)
        {
            logicalId = id.Value;
            var name = Resolve(list.Items[1], where, depth);
            attribute = name is null ? null : AsString(name, where, "an attribute name");
        }

        if (string.IsNullOrEmpty(logicalId) || string.IsNullOrEmpty(attribute))
        {
            Fail(argument, where, "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute");
            return Placeholder(argument);
        }

        if (InCondition(logicalId, argument, where))
        {
            return Placeholder(argument);
        }

        if (!state.Declarations.TryGetValue(logicalId, out var declaration))
        {
            Fail(argument, where, $"Template error: instance of Fn::GetAtt references undefined resource {logicalId}");
            return Placeholder(argument);
        }

        var type = ResourceCatalog.Find(declaration.Type);
        if (type is not null && !type.HasAttribute(attribute))
        {
            Fail(argument, where, $"Template error: resource {logicalId} does not support attribute type {attribute} in Fn::GetAtt ({AttributesOf(declaration.Type, type)})");
            return Placeholder(argument);
        }

        if (Resource(logicalId, argument, where) is not { } resource)
        {
            return Placeholder(argument);
        }

        if (resource.Attributes.TryGetValue(attribute, out var value))
        {
            return Relocate(value, argument.Location);
        }

        // A type Cloister accepts without running (custom or pass-through) answers every attribute with a stable placeholder.
        return ScalarNode.String($"{resource.RefValue}.{attribute}", argument.Location);
    }

    private Node ImportValue(Node argument, Where where, int depth)
    {
        // CloudFormation resolves import names before it creates anything, so a name it could only know later is refused.
        if (KnownOnlyAtRuntime(argument))
        {
            Fail(argument, where, "Template error: the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs");
            return Placeholder(argument);
        }

        var name = ResolveText(argument, where, depth, "an export name");
        if (state.Exports.TryGet(name, state.StackName, out var value))
        {
            return Relocate(value, argument.Location);
        }

        Fail(argument, where, $"No export named {name} found. Cloister imports the exports of the stacks loaded before this one: give the exporting template first.");
        return Placeholder(argument);
    }

    /// <summary>Whether <paramref name="node"/> refers to a resource (Ref, Fn::GetAtt, a Fn::Sub variable), an import or Fn::GetAZs.</summary>
    private bool KnownOnlyAtRuntime(Node node)
    {
        switch (node)
        {
            case MapNode call when call.IsIntrinsic(out var function, out var argument):
                return function switch
                {
                    "Fn::GetAtt" or "Fn::ImportValue" or "Fn::GetAZs" => true,
                    "Ref" => argument is ScalarNode { IsNull: false } target && state.Declarations.ContainsKey(target.Value),
                    "Fn::Sub" => SubNamesResource(argument) || KnownOnlyAtRuntime(argument),
                    _ => KnownOnlyAtRuntime(argument),
                };
            case MapNode map:
                return map.Entries.Any(e => KnownOnlyAtRuntime(e.Value));
            case ListNode list:
                return list.Items.Any(KnownOnlyAtRuntime);
            default:
                return false;
        }
    }

    /// <summary>Whether a Fn::Sub's text names a resource or its attribute in a <c>${}</c> its variables do not give.</summary>
    private bool SubNamesResource(Node argument)
    {
        var (text, variables) = SubParts(argument);
        var open = text.IndexOf("${", StringComparison.Ordinal);
        while (open >= 0 && text.IndexOf('}', open) is var close and > 0)
        {
            var name = text[(open + 2)..close].Trim();
            if (!name.StartsWith('!') && variables?.Get(name) is null && state.Declarations.ContainsKey(name.Split('.')[0]))
            {
                return true;
            }

            open = text.IndexOf("${", close, StringComparison.Ordinal);
        }

        return false;
    }

    /// <summary>A Fn::Sub's text and its variables (null in the one-string form); empty text when it is malformed.</summary>
    private static (string Text, MapNode? Variables) SubParts(Node argument) => argument switch
    {
        ScalarNode s => (s.Value, null),
        ListNode { Items: [ScalarNode s, MapNode map] } => (s.Value, map),
        _ => (string.Empty, null),
    };

    /// <summary>
    /// Cloister's own cross-stack reference, for the on-premises network file: <c>[ StackName, LogicalId, Attribute ]</c>
    /// gives an attribute (or, with <c>Ref</c>, the Ref value) of a resource of a stack loaded before this one,
    /// so the AWS templates need no extra exports.
    /// </summary>
    private Node GetStackAtt(Node argument, Where where, int depth)
    {
        var parts = argument is ListNode { Items.Length: 3 } list
            ? list.Items.Select(i => Resolve(i, where, depth) is ScalarNode { IsNull: false } s ? s.Value : null).ToArray()
            : [];
        if (parts.Length != 3 || parts.Any(p => p is null))
        {
            Fail(argument, where, "Fn::GetStackAtt needs [ StackName, LogicalId, AttributeName or Ref ].");
            return Placeholder(argument);
        }

        if (!state.PriorStacks.TryGetValue(parts[0]!, out var stack))
        {
            Fail(argument, where, $"Fn::GetStackAtt: no stack '{parts[0]}' was loaded before this one; stacks are {string.Join(", ", state.PriorStacks.Keys)}.");
            return Placeholder(argument);
        }

        if (!stack.TryGetValue(parts[1]!, out var resource))
        {
            Fail(argument, where, $"Fn::GetStackAtt: stack '{parts[0]}' has no resource '{parts[1]}'.");
            return Placeholder(argument);
        }

        if (parts[2] == "Ref")
        {
            return ScalarNode.String(resource.RefValue, argument.Location);
        }

        if (ResourceCatalog.Find(resource.Type) is { } type && type.HasAttribute(parts[2]!) && resource.Attributes.TryGetValue(parts[2]!, out var value))
        {
            return Relocate(value, argument.Location);
        }

        Fail(argument, where, $"Fn::GetStackAtt: '{parts[2]}' is not an attribute of {parts[0]}.{parts[1]} ({resource.Type}).");
        return Placeholder(argument);
    }

    /// <summary>
    /// Whether this is a condition's definition naming resource <paramref name="logicalId"/>, which CloudFormation
    /// refuses (conditions are evaluated before any resource exists), with the problem recorded.
    /// </summary>
    private bool InCondition(string logicalId, Node at, Where where)
    {
        if (_inConditions == 0 || !state.Declarations.ContainsKey(logicalId))
        {
            return false;
        }

        Fail(at, where, UnresolvedInConditions(logicalId));
        return true;
    }

    /// <summary>The evaluated resource <paramref name="logicalId"/>, or null with a problem recorded.</summary>
    private EvaluatedResource? Resource(string logicalId, Node at, Where where)
    {
        if (state.Resources.TryGetValue(logicalId, out var resource))
        {
            return resource;
        }

        if (state.Excluded.Contains(logicalId))
        {
            var condition = state.Declarations[logicalId].Condition;
            Fail(at, where, $"{UnresolvedResource(logicalId, where)} ('{logicalId}' is not created: its condition '{condition}' is false; refer to it only under Fn::If on that condition)");
        }
        else if (!state.Declarations.ContainsKey(logicalId))
        {
            // CloudFormation's words: a name that is no parameter, resource or pseudo parameter is an unresolved dependency.
            Fail(at, where, where.Block == Blocks.Conditions ? UnresolvedInConditions(logicalId) : UnresolvedResource(logicalId, where));
        }

        // Declared but not evaluated: it is in a dependency cycle or failed, which was reported where it happened.
        return null;
    }

    /// <summary>What a type's resources answer to Fn::GetAtt, said after CloudFormation's refusal of another attribute.</summary>
    private static string AttributesOf(string typeName, ResourceType type) =>
        type.Attributes.Length == 0 ? $"{typeName} has no attributes" : $"{typeName} has {string.Join(", ", type.Attributes)}";

    private static string UnresolvedResource(string name, Where where) =>
        $"Template format error: Unresolved resource dependencies [{name}] in the {where.Block} block of the template";

    /// <summary>CloudFormation's refusal of a name in a condition that is no parameter or pseudo parameter (a resource, or nothing).</summary>
    private static string UnresolvedInConditions(string name) =>
        $"Template format error: Unresolved dependencies [{name}]. Cannot reference resources in the Conditions block of the template";

    /// <summary>A value produced elsewhere, located where it is used so later problems point at the use.</summary>
    private static Node Relocate(Node value, Cloister.Model.Validation.SourceLocation at) => value switch
    {
        ScalarNode s => s with { Location = at },
        ListNode l => l with { Location = at, Items = [.. l.Items.Select(i => Relocate(i, at))] },
        MapNode m => m with { Location = at },
        _ => value,
    };
}
