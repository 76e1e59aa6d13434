using System.Collections.Immutable;
using Cloister.Model.Identifiers;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>What a resource type needs to make its identity: the resolved properties and the stack.</summary>
internal sealed class ResourceIdentityContext(StackState state, string logicalId, MapNode properties, SourceLocation location)
{
    private readonly ImmutableDictionary<string, Node>.Builder _attributes = ImmutableDictionary.CreateBuilder<string, Node>(StringComparer.Ordinal);

    public StackState State { get; } = state;

    public string LogicalId { get; } = logicalId;

    public MapNode Properties { get; } = properties;

    public SourceLocation Location { get; } = location;

    public string Region => State.Account.Region;

    public string Account => State.Account.AccountId;

    public string Partition => State.Account.Partition;

    public string? Prop(string name) => Properties.GetString(name);

    public ImmutableArray<string> PropList(string name) =>
        [.. NodeFactory.Items(Properties.Get(name)).OfType<ScalarNode>().Select(s => s.Value)];

    public string NewId(IdKind kind) => State.Ids.Next(kind);

    /// <summary>A name as CloudFormation makes one when the template gives none: stack, logical id and a random suffix.</summary>
    public string GeneratedName(int maxLength = 64)
    {
        var suffix = State.Ids.Next(IdKind.HostedZone)[1..14];
        var head = $"{State.StackName}-{LogicalId}";
        var room = maxLength - suffix.Length - 1;
        return $"{(head.Length > room ? head[..room] : head)}-{suffix}";
    }

    public string Arn(string service, string resource, bool regional = true) =>
        $"arn:{Partition}:{service}:{(regional ? Region : string.Empty)}:{Account}:{resource}";

    public ResourceIdentityContext Set(string attribute, string value)
    {
        _attributes[attribute] = ScalarNode.String(value, Location);
        return this;
    }

    public ResourceIdentityContext Set(string attribute, IEnumerable<string> values)
    {
        _attributes[attribute] = new ListNode([.. values.Select(v => (Node)ScalarNode.String(v, Location))], Location);
        return this;
    }

    public ResourceIdentityContext Set(string attribute, Node value)
    {
        _attributes[attribute] = value;
        return this;
    }

    public ResourceIdentity Done(string refValue) => new(refValue, _attributes.ToImmutable());

    public EvaluatedResource? Lookup(string? physicalId) =>
        physicalId is not null && State.ByPhysicalId.TryGetValue(physicalId, out var resource) ? resource : null;

    public void Problem(string property, string message) =>
        State.Problem(LogicalId, "Properties." + property, message, Location);
}
