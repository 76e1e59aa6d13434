using System.Text.RegularExpressions;

namespace Cloister.Model.Identifiers;

/// <summary>How AWS forms each kind of identifier: a prefix, an alphabet and a length.</summary>
public static partial class IdShapes
{
    internal const string Hex = "0123456789abcdef";
    internal const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
    internal const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>The shape of one kind of identifier.</summary>
    /// <param name="Prefix">What the identifier starts with, such as <c>vpc-</c>.</param>
    /// <param name="Alphabet">The characters of the random part.</param>
    /// <param name="Length">How many characters the random part has.</param>
    public readonly record struct Shape(string Prefix, string Alphabet, int Length);

    /// <summary>The shape of <paramref name="kind"/>.</summary>
    public static Shape Of(IdKind kind) => kind switch
    {
        IdKind.Vpc => HexId("vpc-"),
        IdKind.Subnet => HexId("subnet-"),
        IdKind.RouteTable => HexId("rtb-"),
        IdKind.SecurityGroup => HexId("sg-"),
        IdKind.SecurityGroupRule => HexId("sgr-"),
        IdKind.PrefixList => HexId("pl-"),
        IdKind.VpcEndpoint => HexId("vpce-"),
        IdKind.PeeringConnection => HexId("pcx-"),
        IdKind.Instance => HexId("i-"),
        IdKind.NetworkInterface => HexId("eni-"),
        IdKind.NetworkAcl => HexId("acl-"),
        IdKind.InternetGateway => HexId("igw-"),
        IdKind.VpnGateway => HexId("vgw-"),
        IdKind.CustomerGateway => HexId("cgw-"),
        IdKind.VpnConnection => HexId("vpn-"),
        IdKind.ResolverInboundEndpoint => HexId("rslvr-in-"),
        IdKind.ResolverOutboundEndpoint => HexId("rslvr-out-"),
        IdKind.ResolverRule => HexId("rslvr-rr-"),
        IdKind.ResolverRuleAssociation => HexId("rslvr-rrassoc-"),
        IdKind.ResolverQueryLogConfig => HexId("rslvr-qlc-"),
        IdKind.ResolverNetworkInterface => HexId("rni-"),
        IdKind.RestApi or IdKind.ApiResource or IdKind.Deployment or IdKind.VpcLink
            or IdKind.ApiKey or IdKind.DomainNameId => new Shape(string.Empty, LowerAlphanumeric, 10),
        IdKind.UsagePlan or IdKind.Authorizer => new Shape(string.Empty, LowerAlphanumeric, 6),
        IdKind.HostedZone => new Shape("Z", UpperAlphanumeric, 21),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
    };

    /// <summary>Whether <paramref name="id"/> has the shape of <paramref name="kind"/>.</summary>
    public static bool Matches(IdKind kind, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var shape = Of(kind);
        if (id.Length != shape.Prefix.Length + shape.Length || !id.StartsWith(shape.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id.AsSpan(shape.Prefix.Length))
        {
            if (!shape.Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="id"/> looks like any EC2-style id (<c>prefix-</c> and 8 or 17 hex digits).</summary>
    public static bool IsEc2Style(string id) => Ec2StyleRegex().IsMatch(id);

    private static Shape HexId(string prefix) => new(prefix, Hex, 17);

    [GeneratedRegex("^[a-z]+(-[a-z]+)*-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex Ec2StyleRegex();
}
