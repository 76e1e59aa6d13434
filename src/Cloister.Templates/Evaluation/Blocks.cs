namespace Cloister.Templates.Evaluation;

/// <summary>The template sections CloudFormation names in its errors ("... in the Outputs block of the template").</summary>
internal static class Blocks
{
    public const string Resources = "Resources";

    public const string Outputs = "Outputs";

    public const string Conditions = "Conditions";
}
