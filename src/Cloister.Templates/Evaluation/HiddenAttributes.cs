namespace Cloister.Templates.Evaluation;

/// <summary>
/// Values an identity computes for the model but that <c>Fn::GetAtt</c> cannot ask for (their names are not
/// in the type's attribute list): the addresses allocated to an endpoint's network interfaces, a launch template's name.
/// </summary>
internal static class HiddenAttributes
{
    public static string EniAddress(string eni) => $"Cloister:Eni:{eni}:Ip";

    public static string EniSubnet(string eni) => $"Cloister:Eni:{eni}:Subnet";

    public const string ResolverAddresses = "Cloister:ResolverAddresses";

    /// <summary>A launch template's name (given or generated), by which an instance may name it.</summary>
    public const string LaunchTemplateName = "Cloister:LaunchTemplateName";
}
