using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// A resource after its intrinsics are resolved: its properties hold only plain values, and it has
/// what <c>Ref</c> and <c>Fn::GetAtt</c> return for it.
/// </summary>
internal sealed record EvaluatedResource(
    string StackName,
    string LogicalId,
    string Type,
    MapNode Properties,
    string RefValue,
    ImmutableDictionary<string, Node> Attributes,
    SourceLocation Location,
    MapNode Declaration)
{
    public string? Prop(string name) => Properties.GetString(name);

    public Node? PropNode(string name) => Properties.Get(name);

    /// <summary>Where a property was written, or the resource's location when it was not.</summary>
    public SourceLocation LocationOf(string property)
    {
        var props = Declaration.Get("Properties") as MapNode;
        return props?.GetEntry(property)?.KeyLocation ?? Location;
    }

    /// <summary>The name the template's author gave <paramref name="property"/> (another when a transform renamed it).</summary>
    public string WrittenName(string property) =>
        (Declaration.Get("Properties") as MapNode)?.GetEntry(property)?.WrittenAs ?? property;

    public string Attribute(string name) => Attributes.TryGetValue(name, out var node) && node is ScalarNode s ? s.Value : string.Empty;
}
