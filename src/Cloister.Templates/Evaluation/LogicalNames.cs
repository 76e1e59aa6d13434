namespace Cloister.Templates.Evaluation;

/// <summary>
/// What CloudFormation accepts as the name of a resource, parameter or output: letters and digits only
/// (its error is "Template format error: ... logical IDs must be alphanumeric").
/// </summary>
internal static class LogicalNames
{
    public static bool IsAlphanumeric(string name) => name.Length > 0 && name.All(char.IsAsciiLetterOrDigit);
}
