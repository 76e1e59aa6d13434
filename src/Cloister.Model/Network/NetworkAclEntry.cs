namespace Cloister.Model.Network;

/// <summary>One numbered rule of a stateless network ACL; the lowest matching number decides.</summary>
/// <param name="RuleNumber">1 to 32766.</param>
/// <param name="Protocol">Protocol number as text (<c>6</c> tcp, <c>17</c> udp, <c>1</c> icmp) or <c>-1</c> for all.</param>
/// <param name="Allow">Whether it allows (true) or denies.</param>
/// <param name="Egress">Whether it concerns outbound traffic.</param>
/// <param name="Cidr">The CIDR block it concerns.</param>
/// <param name="FromPort">First port (<c>PortRange.From</c>, tcp and udp); -1 for all.</param>
/// <param name="ToPort">Last port (<c>PortRange.To</c>, tcp and udp); -1 for all.</param>
/// <param name="IcmpType">The ICMP type of an ICMP entry (<c>Icmp.Type</c>); -1 for all.</param>
/// <param name="IcmpCode">The ICMP code of an ICMP entry (<c>Icmp.Code</c>); -1 for all codes of the type.</param>
public sealed record NetworkAclEntry(int RuleNumber, string Protocol, bool Allow, bool Egress, string Cidr, int FromPort = -1, int ToPort = -1, int IcmpType = -1, int IcmpCode = -1);
