using System.Collections.Immutable;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// What Cloister knows of one resource type: the attributes <c>Fn::GetAtt</c> may ask for (as AWS
/// documents them) and how its physical id and attribute values are made.
/// </summary>
internal sealed record ResourceType(string Name, ImmutableArray<string> Attributes, Func<ResourceIdentityContext, ResourceIdentity> Create)
{
    public bool HasAttribute(string attribute) => Attributes.Contains(attribute, StringComparer.Ordinal);
}
