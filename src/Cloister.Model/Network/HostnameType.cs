namespace Cloister.Model.Network;

/// <summary>EC2's <c>HostnameType</c>: what an instance's private DNS name (and guest OS host name) is built from.</summary>
public enum HostnameType
{
    /// <summary><c>ip-name</c>: the private IPv4 address, <c>ip-10-0-1-5.eu-central-1.compute.internal</c> (the default).</summary>
    IpName,

    /// <summary><c>resource-name</c>: the instance id, <c>i-0123456789abcdef0.eu-central-1.compute.internal</c>.</summary>
    ResourceName,
}
