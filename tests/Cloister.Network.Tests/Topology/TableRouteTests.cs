using Cloister.Network.Addressing;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Topology;

public sealed class TableRouteTests
{
    private static readonly TableRoute[] Table =
    [
        TableRoute.FallThrough(Ipv4Cidr.Parse("10.10.0.0/16")),
        TableRoute.Blackhole(Ipv4Cidr.Parse("10.10.9.0/24")),
        TableRoute.FallThrough(Ipv4Cidr.Parse("10.20.0.0/16")),
        TableRoute.Blackhole(Ipv4Cidr.Parse("10.20.0.0/16")),
        new TableRoute(new Ipv4Cidr(0, 0), "unreachable"),
    ];

    [Fact]
    public void Match_AddressUnderAThrowOnly_IsTheThrow() =>
        Assert.Equal(TableRoute.Throw, TableRoute.Match(Table, Ipv4Cidr.ParseAddress("10.10.1.4"))?.Type);

    [Fact]
    public void Match_MoreSpecificBlackholeInsideAThrow_WinsAsInTheKernel() =>
        Assert.Equal("blackhole", TableRoute.Match(Table, Ipv4Cidr.ParseAddress("10.10.9.4"))?.Type);

    [Fact]
    public void Match_EqualPrefixesReplaced_TheLastOneWins() =>
        Assert.Equal("blackhole", TableRoute.Match(Table, Ipv4Cidr.ParseAddress("10.20.1.4"))?.Type);

    [Fact]
    public void Command_DefaultAndNextHop_RenderAsIpRouteReplace()
    {
        Assert.Equal("route replace unreachable 0.0.0.0/0 table 100", Table[^1].Command("100"));
        Assert.Equal("route replace 198.18.1.0/24 via 169.254.0.2 dev rg0 table 101", TableRoute.Via(Ipv4Cidr.Parse("198.18.1.0/24"), " via 169.254.0.2 dev rg0").Command("101"));
    }
}
