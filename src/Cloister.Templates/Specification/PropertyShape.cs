namespace Cloister.Templates.Specification;

/// <summary>
/// What a property holds when it holds a structure: one object of the property type <see cref="Type"/>, a list of
/// them, or a map of free names to them (<c>NAME:TYPE</c>, <c>NAME:[TYPE]</c>, <c>NAME:{TYPE}</c> in
/// <c>ResourceProperties.txt</c>).
/// </summary>
internal sealed record PropertyShape(string Type, PropertyShapeKind Kind)
{
    /// <summary>The shape written after a property's name and its colon.</summary>
    public static PropertyShape Parse(string written) => written switch
    {
        ['[', .. var type, ']'] => new PropertyShape(type, PropertyShapeKind.List),
        ['{', .. var type, '}'] => new PropertyShape(type, PropertyShapeKind.Map),
        _ => new PropertyShape(written, PropertyShapeKind.Object),
    };
}
