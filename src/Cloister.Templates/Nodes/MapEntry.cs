using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>One key of a map, where the key was written, and its value.</summary>
internal sealed record MapEntry(string Key, SourceLocation KeyLocation, Node Value)
{
    /// <summary>
    /// The key the template's author wrote when a transform renamed it (SAM's <c>CodeUri</c> becomes the function's
    /// <c>Code</c>), so that what is found wrong with the value later names the property as written; null when unrenamed.
    /// </summary>
    public string? WrittenAs { get; init; }
}
