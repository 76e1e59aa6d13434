namespace Cloister.Templates.OnPremises;

/// <summary>The resource types of the on-premises network file (see docs/onprem-file.md).</summary>
internal static class OnPremisesTypes
{
    public const string Network = "Cloister::OnPremises::Network";
    public const string Host = "Cloister::OnPremises::Host";
}
