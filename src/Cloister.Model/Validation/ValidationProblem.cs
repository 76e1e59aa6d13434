namespace Cloister.Model.Validation;

/// <summary>One thing wrong with a resource: which resource, which property, and why.</summary>
/// <param name="Resource">The resource's logical id (or id where it has no logical id).</param>
/// <param name="Property">The property path, such as <c>Properties.CidrBlock</c>; empty for the resource as a whole.</param>
/// <param name="Message">What is wrong, for a person.</param>
/// <param name="Location">Where it was written, when known.</param>
public sealed record ValidationProblem(string Resource, string Property, string Message, SourceLocation? Location = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Location is null ? string.Empty : $"{Location}: ";
        var what = Property.Length == 0 ? Resource : $"{Resource}.{Property}";
        return $"{where}{what}: {Message}";
    }
}
