using System.Collections.Frozen;

namespace Cloister.Templates.Specification;

/// <summary>
/// One line of <c>ResourceProperties.txt</c>: the property names a resource type or property type accepts, and the
/// structure each property that holds one has (a property missing from <see cref="Shapes"/> is a scalar or free-form).
/// </summary>
internal sealed record PropertyStructure(FrozenSet<string> Names, FrozenDictionary<string, PropertyShape> Shapes);
