namespace Cloister.Tables.Expressions;

/// <summary>One step of a document path: an attribute or map key (<see cref="Name"/>), or a list index.</summary>
internal readonly record struct PathElement(string? Name, int Index)
{
    public bool IsIndex => Name is null;

    public override string ToString() => Name ?? "[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
