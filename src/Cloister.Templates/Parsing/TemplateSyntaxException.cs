using Cloister.Model.Validation;

namespace Cloister.Templates.Parsing;

/// <summary>Stops a reader at a malformed construct; the reader turns it into a problem at <see cref="Location"/>.</summary>
internal sealed class TemplateSyntaxException(string message, SourceLocation location) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}
