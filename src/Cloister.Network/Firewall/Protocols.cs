using System.Globalization;

namespace Cloister.Network.Firewall;

/// <summary>Protocol names and numbers as security group and network ACL rules write them.</summary>
internal static class Protocols
{
    public const int Icmp = 1;
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int IcmpV6 = 58;

    /// <summary>The IP protocol number, or null for "all protocols" (<c>-1</c>).</summary>
    public static int? Number(string protocol) => protocol.ToLowerInvariant() switch
    {
        "-1" or "all" or "" => null,
        "tcp" => Tcp,
        "udp" => Udp,
        "icmp" => Icmp,
        "icmpv6" => IcmpV6,
        var other => int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
    };

    /// <summary>
    /// Whether a rule with <paramref name="protocol"/> and the port range matches the IPv4 packet, as the rendered
    /// tables decide: a rule that can match no IPv4 packet (<see cref="MatchesIpv4"/>: ICMPv6, an unknown name)
    /// matches none, even one that says it carries protocol 58.
    /// </summary>
    public static bool Matches(string protocol, int fromPort, int toPort, int packetProtocol, int port)
    {
        var number = Number(protocol);
        if (number is null)
        {
            return true;
        }

        if (!MatchesIpv4(number) || number != packetProtocol)
        {
            return false;
        }

        return !HasPorts(number.Value, fromPort, toPort) || (port >= fromPort && port <= toPort);
    }

    /// <summary>
    /// Whether a rule for protocol <paramref name="number"/> can match an IPv4 packet: ICMPv6 (58) exists only in IPv6
    /// (on AWS such a rule matches no IPv4 traffic), and an unknown name (-1 from <see cref="Number"/>) matches nothing.
    /// </summary>
    public static bool MatchesIpv4(int? number) => number is null or (>= 0 and <= 255 and not IcmpV6);

    /// <summary>The message a ping sends (echo request) and the one it gets back (echo reply), as (type, code).</summary>
    public static readonly (int Type, int Code) EchoRequest = (8, 0), EchoReply = (0, 0);

    /// <summary>
    /// Whether a rule's ICMP type and code (-1, or anything outside 0–255, for all) admit the ICMP
    /// <paramref name="message"/>, as the rendered tables match them (<c>icmp type T icmp code C</c>): a code counts only
    /// with a type. A rule or packet of another protocol is not restricted by them.
    /// </summary>
    public static bool IcmpAdmits(string protocol, int ruleType, int ruleCode, int packetProtocol, (int Type, int Code) message) =>
        Number(protocol) != Icmp || packetProtocol != Icmp || !IsIcmpValue(ruleType) ||
        (ruleType == message.Type && (!IsIcmpValue(ruleCode) || ruleCode == message.Code));

    /// <summary>Whether <paramref name="value"/> names one ICMP type or code (not -1, "all").</summary>
    public static bool IsIcmpValue(int value) => value is >= 0 and <= 255;

    /// <summary>Whether a rule for <paramref name="number"/> restricts ports.</summary>
    public static bool HasPorts(int number, int fromPort, int toPort) =>
        number is Tcp or Udp && fromPort >= 0 && !(fromPort <= 0 && toPort >= 65535);

    /// <summary>The name a protocol number has in reports.</summary>
    public static string Name(int number) => number switch
    {
        Tcp => "tcp",
        Udp => "udp",
        Icmp => "icmp",
        IcmpV6 => "icmpv6",
        _ => number.ToString(CultureInfo.InvariantCulture),
    };
}
