namespace Cloister.Model.Network;

/// <summary>
/// One rule of a security group. Exactly one of <paramref name="Cidr"/>, <paramref name="PrefixListId"/>
/// and <paramref name="ReferencedGroupId"/> says whom it concerns.
/// </summary>
/// <param name="Protocol">AWS's <c>IpProtocol</c>: <c>tcp</c>, <c>udp</c>, <c>icmp</c> or <c>-1</c> for all.</param>
/// <param name="FromPort">First port (or ICMP type); -1 for all.</param>
/// <param name="ToPort">Last port (or ICMP code); -1 for all.</param>
/// <param name="Cidr">An IPv4 or IPv6 CIDR block.</param>
/// <param name="PrefixListId">A managed prefix list (<c>pl-</c>).</param>
/// <param name="ReferencedGroupId">Another security group (<c>sg-</c>) whose members it concerns.</param>
/// <param name="Description">The rule's description.</param>
public sealed record SecurityGroupRule(string Protocol, int FromPort, int ToPort, string? Cidr = null, string? PrefixListId = null, string? ReferencedGroupId = null, string? Description = null)
{
    /// <summary>The rule AWS gives every new group's egress: all traffic to 0.0.0.0/0.</summary>
    public static SecurityGroupRule AllowAllEgress { get; } = new("-1", -1, -1, "0.0.0.0/0");

    /// <summary>Whether the rule covers every protocol.</summary>
    public bool AllProtocols => Protocol == "-1";
}
