namespace Cloister.Templates.Specification;

/// <summary>How a property holds its property type: one object, a list of them, or a map of free names to them.</summary>
internal enum PropertyShapeKind
{
    Object,
    List,
    Map,
}
