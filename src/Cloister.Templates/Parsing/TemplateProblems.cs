namespace Cloister.Templates.Parsing;

/// <summary>Names used in problems that concern no single resource.</summary>
internal static class TemplateProblems
{
    /// <summary>The resource name of problems with the file as a whole (syntax, sections).</summary>
    public const string Template = "Template";

    /// <summary>CloudFormation's (and SAM's) words for a Condition attribute that is not a condition's name.</summary>
    public const string ConditionMustBeString = "Every Condition member must be a string.";
}
