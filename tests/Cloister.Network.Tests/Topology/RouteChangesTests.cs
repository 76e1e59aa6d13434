using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Topology;

public sealed class RouteChangesTests
{
    private static NamespacePlan Router(params string[] lines) => new("clt-v0", NamespaceRole.VpcRouter, [], [.. lines], null);

    [Fact]
    public void Between_RoutesAddedRetargetedAndRemoved_ReplacesAndDeletesWithTheUndoOfEach()
    {
        var old = Router("link set lo up", "route replace throw 10.10.0.0/16 table 100", "route replace blackhole 10.20.0.0/16 table 100", "route replace throw 10.30.0.0/16 table 101", "rule add iif r0 lookup 100 pref 1000");
        var next = Router("link set lo up", "route replace throw 10.10.0.0/16 table 100", "route replace throw 10.20.0.0/16 table 100", "route replace 10.40.0.0/16 via 169.254.0.2 dev rg0 table 100", "rule add iif r0 lookup 100 pref 1000");

        var changes = RouteChanges.Between(old, next);

        Assert.NotNull(changes);
        Assert.Equal(["route replace throw 10.20.0.0/16 table 100", "route replace 10.40.0.0/16 via 169.254.0.2 dev rg0 table 100", "route del 10.30.0.0/16 table 101"], changes.Apply);
        Assert.Equal(["route replace blackhole 10.20.0.0/16 table 100", "route del 10.40.0.0/16 table 100", "route replace throw 10.30.0.0/16 table 101"], changes.Undo);
    }

    [Fact]
    public void Between_SameRoutesInAnotherOrder_IsEmpty()
    {
        var changes = RouteChanges.Between(
            Router("link set lo up", "route replace throw 10.10.0.0/16 table 100", "route replace blackhole 10.20.0.0/16 table 100"),
            Router("link set lo up", "route replace blackhole 10.20.0.0/16 table 100", "route replace throw 10.10.0.0/16 table 100"));

        Assert.True(changes!.IsEmpty);
    }

    [Fact]
    public void Between_TwoLinesForOneDestination_TheLastOneStands()
    {
        // Lines are written with replace, so the kernel holds the later of two for one destination and table.
        var changes = RouteChanges.Between(
            Router("route replace blackhole 10.20.0.0/16 table 100", "route replace throw 10.20.0.0/16 table 100"),
            Router("route replace throw 10.20.0.0/16 table 100"));

        Assert.True(changes!.IsEmpty);
    }

    [Theory]
    [InlineData("addr add 10.10.1.1/32 dev r1")]
    [InlineData("rule add iif r1 lookup 101 pref 1001")]
    [InlineData("route add 10.10.1.20/32 dev r1 src 10.10.1.1")]
    public void Between_AnyOtherLineAdded_IsStructural(string line)
    {
        var old = Router("link set lo up", "route replace throw 10.10.0.0/16 table 100");
        var next = Router([.. old.IpCommands, line]);

        Assert.Null(RouteChanges.Between(old, next));
    }
}
