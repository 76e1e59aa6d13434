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

        if (logicalId is null || string.IsNullOrEmpty(attribute))
        {
            Fail(argument, where, "Fn::GetAtt needs [ LogicalId, AttributeName ] or 'LogicalId.AttributeName'.");
            return Placeholder(argument);
        }

        if (!state.Declarations.TryGetValue(logicalId, out var declaration))
        {
            Fail(argument, where, $"Fn::GetAtt refers to '{logicalId}', which is not a resource of this template.");
            return Placeholder(argument);
        }

        var type = ResourceCatalog.Find(declaration.Type);
        if (type is not null && !type.HasAttribute(attribute))
        {
            var known = type.Attributes.Length == 0 ? "it has no attributes" : "it has " + string.Join(", ", type.Attributes);
            Fail(argument, where, $"Fn::GetAtt: '{attribute}' is not an attribute of {logicalId} ({declaration.Type}); {known}.");
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
        var resolved = Resolve(argument, where, depth);
        var name = resolved is null ? string.Empty : AsString(resolved, where, "an export name");
        if (state.Exports.TryGet(name, out var value))
        {
            return Relocate(value, argument.Location);
        }

        Fail(argument, where, $"No stack deployed before this one exports '{name}'. Give the exporting template first.");
        return Placeholder(argument);
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
            Fail(at, where, $"'{logicalId}' is not created because its condition '{condition}' is false; refer to it only under Fn::If on that condition.");
        }
        else if (!state.Declarations.ContainsKey(logicalId))
        {
            Fail(at, where, $"Unresolved reference '{logicalId}': no parameter, resource or pseudo parameter has that name.");
        }

        // Declared but not evaluated: it is in a dependency cycle or failed, which was reported where it happened.
        return null;
    }

    /// <summary>A value produced elsewhere, located where it is used so later problems point at the use.</summary>
    private static Node Relocate(Node value, Cloister.Model.Validation.SourceLocation at) => value switch
    {
        ScalarNode s => s with { Location = at },
        ListNode l => l with { Location = at, Items = [.. l.Items.Select(i => Relocate(i, at))] },
        MapNode m => m with { Location = at },
        _ => value,
    };
}
