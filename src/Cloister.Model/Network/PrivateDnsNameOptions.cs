namespace Cloister.Model.Network;

/// <summary>
/// EC2's options for instance host names: a subnet's <c>PrivateDnsNameOptionsOnLaunch</c> (what instances launched into
/// it get) and an instance's <c>PrivateDnsNameOptions</c>. The IP name always resolves to the instance's address, whatever
/// these say; the resource name resolves only where its record is enabled.
/// </summary>
/// <param name="HostnameType">Whether the instance's private DNS name is its IP name or its resource name.</param>
/// <param name="EnableResourceNameDnsARecord">Whether the VPC resolver answers A queries for the resource name.</param>
/// <param name="EnableResourceNameDnsAAAARecord">Whether it answers AAAA queries for the resource name (Cloister has no IPv6 addresses, so there is never one to answer).</param>
public sealed record PrivateDnsNameOptions(HostnameType HostnameType = HostnameType.IpName, bool EnableResourceNameDnsARecord = false, bool EnableResourceNameDnsAAAARecord = false)
{
    /// <summary>EC2's defaults: IP names, no records for the resource name.</summary>
    public static PrivateDnsNameOptions Default { get; } = new();

    /// <summary>The <c>HostnameType</c> values as EC2 and CloudFormation write them.</summary>
    public static IReadOnlyList<string> HostnameTypeValues { get; } = ["ip-name", "resource-name"];

    /// <summary>Reads a <c>HostnameType</c> as EC2 writes it (exactly: EC2's enums are case-sensitive); false for anything else.</summary>
    public static bool TryParseHostnameType(string? value, out HostnameType type)
    {
        switch (value)
        {
            case "ip-name":
                type = HostnameType.IpName;
                return true;
            case "resource-name":
                type = HostnameType.ResourceName;
                return true;
            default:
                type = HostnameType.IpName;
                return false;
        }
    }
}
