namespace Cloister.Templates.Evaluation;

/// <summary>
/// What CloudFormation accepts as the name of a resource, parameter or output: letters and digits only, 255 at most
/// (its error is "Template format error: Resource name my-bucket is non alphanumeric.").
/// </summary>
internal static class LogicalNames
{
    /// <summary>The longest logical id CloudFormation takes (its template reference: "up to 255 characters").</summary>
    public const int MaxLength = 255;

    public static bool IsAlphanumeric(string name) => name.Length > 0 && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// CloudFormation's words for a <paramref name="kind"/> (<c>Resource</c>, <c>Parameter</c>, <c>Output</c>) name it
    /// refuses, or null when the name is accepted.
    /// </summary>
    public static string? Problem(string kind, string name) =>
        !IsAlphanumeric(name) ? $"Template format error: {kind} name {name} is non alphanumeric."
        : name.Length > MaxLength ? $"Template format error: {kind} name {name[..20]}... is {name.Length} characters long; logical IDs can be at most {MaxLength}."
        : null;
}
