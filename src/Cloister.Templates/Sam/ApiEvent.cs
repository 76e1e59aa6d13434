using Cloister.Model.Validation;

namespace Cloister.Templates.Sam;

/// <summary>An <c>Api</c> event of a SAM function: the method and path it routes to the function on which API.</summary>
/// <param name="FunctionId">The function's logical id.</param>
/// <param name="EventId">The event's name.</param>
/// <param name="Path">The path, such as <c>/claim/{id}</c>.</param>
/// <param name="Method">The method, lower-case, or <c>any</c>.</param>
/// <param name="ApiId">The explicit API's logical id; null for the implicit <c>ServerlessRestApi</c>.</param>
/// <param name="Location">Where the event was written.</param>
/// <param name="Condition">The function's condition, which SAM puts on the method it adds for the event; null when it has none.</param>
internal sealed record ApiEvent(string FunctionId, string EventId, string Path, string Method, string? ApiId, SourceLocation Location, string? Condition)
{
    /// <summary>The logical id of the function's <c>AutoPublishAlias</c> alias, which the integration invokes; null to invoke the function.</summary>
    public string? AliasId { get; init; }

    /// <summary>The event's <c>RequestModel</c> (Model, Required, ValidateBody, ValidateParameters), if any.</summary>
    public Nodes.Node? RequestModel { get; init; }

    /// <summary>The event's <c>RequestParameters</c> list, if any.</summary>
    public Nodes.Node? RequestParameters { get; init; }
}
