using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>
/// A value of a template as written: a scalar, a list or a map, with where it was written.
/// Short-form YAML tags are turned into their long form (<c>!Ref X</c> into <c>{ Ref: X }</c>) while reading,
/// so everything after the readers sees one shape whatever the file format.
/// </summary>
internal abstract record Node(SourceLocation Location)
{
    /// <summary>What kind of value this is, as a template author would say it.</summary>
    public abstract string KindName { get; }
}
