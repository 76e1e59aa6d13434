using Cloister.Model.Identifiers;
using Cloister.Templates.Nodes;
using Cloister.Templates.OnPremises;

namespace Cloister.Templates.Evaluation;

/// <summary>The Cloister types of the on-premises network file.</summary>
internal static partial class ResourceCatalog
{
    private static IEnumerable<ResourceType> OnPremisesTypeList()
    {
        yield return T(OnPremisesTypes.Network, "CidrBlock DnsServerAddress", c =>
        {
            var id = "onprem-" + c.NewId(IdKind.Vpc)[4..];
            var dns = (c.Properties.Get("DnsServer") as MapNode)?.GetString("IpAddress") ?? string.Empty;
            return c.Set("CidrBlock", c.Prop("CidrBlock") ?? string.Empty).Set("DnsServerAddress", dns).Done(id);
        });
        yield return T(OnPremisesTypes.Host, "IpAddress", c =>
        {
            var id = "host-" + c.NewId(IdKind.Vpc)[4..];
            return c.Set("IpAddress", c.Prop("IpAddress") ?? string.Empty).Done(id);
        });
    }
}
