using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Cloister.Network.Topology;

/// <summary>
/// One host of the sandbox: a network namespace with one ENI address on <c>eth0</c>, linked to its VPC router
/// (or on-premises router) by a veth pair.
/// </summary>
/// <param name="Kind">What the host stands for.</param>
/// <param name="Id">The resource id (instance id, ENI id, on-premises host id...).</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">The Name tag, when there is one.</param>
/// <param name="OwnerId">The owning resource (VPC endpoint id, resolver endpoint id, load balancer id), when any; for a Lambda ENI
/// and for the place of functions outside a VPC, the functions' names, comma-separated (<see cref="FunctionNames"/>).</param>
/// <param name="Namespace">The network namespace name.</param>
/// <param name="RouterNamespace">The namespace of the router the host hangs off.</param>
/// <param name="RouterInterface">The router's side of the host's veth pair.</param>
/// <param name="Address">The ENI address.</param>
/// <param name="PrefixLength">The subnet's prefix length.</param>
/// <param name="Gateway">The default gateway (the subnet's <c>.1</c>, AWS's VPC router address).</param>
/// <param name="VpcId">The VPC, for hosts in a VPC.</param>
/// <param name="SubnetId">The subnet, for hosts in a VPC.</param>
/// <param name="OnPremisesNetworkId">The on-premises network, for on-premises hosts.</param>
/// <param name="SecurityGroupIds">The security groups in force on the ENI (defaults resolved).</param>
/// <param name="Hostname">The host name (<c>ip-a-b-c-d.{region}.compute.internal</c> for instances).</param>
/// <param name="DnsServer">The name server of the host's resolv.conf.</param>
public sealed record HostPlan(
    HostKind Kind,
    string Id,
    string LogicalId,
    string? Name,
    string? OwnerId,
    string Namespace,
    string RouterNamespace,
    string RouterInterface,
    string Address,
    int PrefixLength,
    string Gateway,
    string? VpcId,
    string? SubnetId,
    string? OnPremisesNetworkId,
    ImmutableArray<string> SecurityGroupIds,
    string Hostname,
    string DnsServer)
{
    /// <summary>
    /// The ENI's MAC address, fixed by its id: locally administered and unicast, <c>0a:</c> first as EC2's ENIs have it;
    /// set on <c>eth0</c> and answered by the instance metadata service.
    /// </summary>
    public string Mac
    {
        get
        {
            var hash = HashOfId("mac:");
            return string.Join(':', ["0a", .. hash[..5].Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))]);
        }
    }

    /// <summary>The ENI's id: <see cref="Id"/> when the host is an ENI already, else one fixed by the id (an instance's primary ENI).</summary>
    public string InterfaceId => Id.StartsWith("eni-", StringComparison.Ordinal)
        ? Id
        : "eni-" + Convert.ToHexStringLower(HashOfId("eni:"))[..17];

    /// <summary>
    /// For an instance, the reservation it was launched in, fixed by its id as <see cref="InterfaceId"/> is: every
    /// <c>AWS::EC2::Instance</c> is launched alone, so it is its reservation's only instance, and the id holds across
    /// requests and across <c>up</c>s as the instance id does. Not written to <c>sandbox.json</c>: only the metadata
    /// service answers it.
    /// </summary>
    [JsonIgnore]
    public string ReservationId => "r-" + Convert.ToHexStringLower(HashOfId("reservation:"))[..17];

    /// <summary>A hash of <see cref="Id"/> for one purpose (<paramref name="purpose"/> first), so derived ids differ from each other.</summary>
    private byte[] HashOfId(string purpose) => SHA256.HashData(Encoding.UTF8.GetBytes(purpose + Id));

    /// <summary>
    /// Whether <paramref name="text"/> names this host: logical id, id, Name tag, namespace or address; for a Lambda ENI
    /// also the name of a function that uses it (<c>cloister path --from createClaim</c> starts where the function's
    /// packets do: the first such host is the ENI of one of its subnets), and for the place of functions outside a VPC
    /// the name of any such function.
    /// </summary>
    public bool IsNamedBy(string text) =>
        string.Equals(text, LogicalId, StringComparison.Ordinal) || string.Equals(text, Id, StringComparison.Ordinal) ||
        string.Equals(text, Name, StringComparison.Ordinal) || string.Equals(text, Namespace, StringComparison.Ordinal) ||
        string.Equals(text, Address, StringComparison.Ordinal) || string.Equals(text, Hostname, StringComparison.OrdinalIgnoreCase) ||
        (Kind is HostKind.FunctionInterface or HostKind.PublicFunction && FunctionNames.Contains(text, StringComparer.Ordinal));

    /// <summary>The functions that send from this host: those of a Lambda ENI, or all those outside a VPC; empty for other hosts.</summary>
    public IReadOnlyList<string> FunctionNames => Kind is HostKind.FunctionInterface or HostKind.PublicFunction && OwnerId is not null ? OwnerId.Split(',') : [];
}
