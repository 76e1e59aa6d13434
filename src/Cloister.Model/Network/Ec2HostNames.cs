namespace Cloister.Model.Network;

/// <summary>
/// The names EC2 gives instances in a Region: the domain, the IP name and the resource name, one place for the template
/// reader (<c>Fn::GetAtt PrivateDnsName</c>) and the VPC resolver to agree on.
/// </summary>
public static class Ec2HostNames
{
    /// <summary>The domain of private host names: <c>{region}.compute.internal</c>, <c>ec2.internal</c> in us-east-1.</summary>
    public static string Domain(string region) => region == "us-east-1" ? "ec2.internal" : $"{region}.compute.internal";

    /// <summary>The IP name of an IPv4 address: <c>ip-10-0-1-5.eu-central-1.compute.internal</c>.</summary>
    public static string IpName(string ipv4Address, string region) => $"ip-{ipv4Address.Replace('.', '-')}.{Domain(region)}";

    /// <summary>The resource name of an instance: <c>i-0123456789abcdef0.eu-central-1.compute.internal</c>.</summary>
    public static string ResourceName(string instanceId, string region) => $"{instanceId}.{Domain(region)}";

    /// <summary>
    /// The instance's private DNS name as EC2 reports it: its resource name with <see cref="HostnameType.ResourceName"/>,
    /// else its IP name (empty while it has no address).
    /// </summary>
    public static string PrivateDnsName(Instance instance, string region) =>
        instance.PrivateDnsNameOptions.HostnameType == HostnameType.ResourceName ? ResourceName(instance.Id, region)
            : instance.PrivateIpAddress is { Length: > 0 } address ? IpName(address, region)
            : string.Empty;
}
