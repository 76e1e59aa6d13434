using System.Text.RegularExpressions;

namespace Cloister.Templates.Mapping;

/// <summary>The names API Gateway takes for a method's HTTP method, a resource's path part and a stage variable.</summary>
internal sealed partial class ModelBuilder
{
    /// <summary>PutMethod's methods, in the order its error lists them.</summary>
    private static readonly string[] MethodNames = ["ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

    [GeneratedRegex(@"^(?:[a-zA-Z0-9._-]+|\{[a-zA-Z0-9._-]+\+?\})$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PathPartPattern();

    [GeneratedRegex("^[a-zA-Z0-9_]+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex StageVariableName();
}
