namespace Cloister.Policy;

/// <summary>One thing wrong with a policy document, where it is (a JSON path such as <c>Statement[1].Condition.StringEqual</c>) and why.</summary>
/// <param name="Path">The JSON path of the offending element; empty for the document as a whole.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyProblem(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
