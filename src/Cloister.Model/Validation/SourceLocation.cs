namespace Cloister.Model.Validation;

/// <summary>Where in a file something was written: 1-based line and column.</summary>
/// <param name="File">The file's path as the user gave it.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
