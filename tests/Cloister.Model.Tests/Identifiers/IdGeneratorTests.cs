using System.Text.RegularExpressions;
using Cloister.Model.Identifiers;

namespace Cloister.Model.Tests.Identifiers;

public sealed class IdGeneratorTests
{
    public static TheoryData<IdKind, string> Shapes => new()
    {
        { IdKind.Vpc, "^vpc-[0-9a-f]{17}$" },
        { IdKind.Subnet, "^subnet-[0-9a-f]{17}$" },
        { IdKind.RouteTable, "^rtb-[0-9a-f]{17}$" },
        { IdKind.SecurityGroup, "^sg-[0-9a-f]{17}$" },
        { IdKind.PrefixList, "^pl-[0-9a-f]{17}$" },
        { IdKind.VpcEndpoint, "^vpce-[0-9a-f]{17}$" },
        { IdKind.PeeringConnection, "^pcx-[0-9a-f]{17}$" },
        { IdKind.Instance, "^i-[0-9a-f]{17}$" },
        { IdKind.NetworkInterface, "^eni-[0-9a-f]{17}$" },
        { IdKind.ResolverInboundEndpoint, "^rslvr-in-[0-9a-f]{17}$" },
        { IdKind.ResolverOutboundEndpoint, "^rslvr-out-[0-9a-f]{17}$" },
        { IdKind.ResolverRule, "^rslvr-rr-[0-9a-f]{17}$" },
        { IdKind.ResolverRuleAssociation, "^rslvr-rrassoc-[0-9a-f]{17}$" },
        { IdKind.ResolverNetworkInterface, "^rni-[0-9a-f]{17}$" },
        { IdKind.RestApi, "^[a-z0-9]{10}$" },
        { IdKind.ApiResource, "^[a-z0-9]{10}$" },
        { IdKind.Deployment, "^[a-z0-9]{10}$" },
        { IdKind.HostedZone, "^Z[A-Z0-9]{21}$" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Next_EachKind_MatchesAwsShape(IdKind kind, string pattern)
    {
        var generator = new IdGenerator();
        for (var i = 0; i < 50; i++)
        {
            var id = generator.Next(kind);
            Assert.Matches(new Regex(pattern), id);
            Assert.True(IdShapes.Matches(kind, id));
        }
    }

    [Fact]
    public void Next_SameSeed_SameSequence()
    {
        var a = new IdGenerator(42);
        var b = new IdGenerator(42);
        var first = Enumerable.Range(0, 20).Select(_ => a.Next(IdKind.Vpc)).ToArray();
        var second = Enumerable.Range(0, 20).Select(_ => b.Next(IdKind.Vpc)).ToArray();
        Assert.Equal(first, second);
        Assert.Equal(20, first.Distinct().Count());
    }

    [Fact]
    public void Next_DifferentSeeds_DifferentSequences()
    {
        Assert.NotEqual(new IdGenerator(1).Next(IdKind.RestApi), new IdGenerator(2).Next(IdKind.RestApi));
    }

    [Theory]
    [InlineData(IdKind.Vpc, "vpc-0123456789abcdef0", true)]
    [InlineData(IdKind.Vpc, "vpc-0123456789ABCDEF0", false)]
    [InlineData(IdKind.Vpc, "vpc-0123456789abcdef", false)]
    [InlineData(IdKind.Vpc, "subnet-0123456789abcdef0", false)]
    [InlineData(IdKind.RestApi, "a1b2c3d4e5", true)]
    [InlineData(IdKind.RestApi, "A1b2c3d4e5", false)]
    [InlineData(IdKind.HostedZone, "Z0123456789ABCDEFGHIJK", true)]
    [InlineData(IdKind.HostedZone, "z0123456789ABCDEFGHIJK", false)]
    public void Matches_GivenId_ReportsShape(IdKind kind, string id, bool expected)
    {
        Assert.Equal(expected, IdShapes.Matches(kind, id));
    }

    [Theory]
    [InlineData("vpc-1a2b3c4d", true)]
    [InlineData("rslvr-in-0123456789abcdef0", true)]
    [InlineData("vpc_1a2b3c4d", false)]
    public void IsEc2Style_GivenId_ReportsShape(string id, bool expected)
    {
        Assert.Equal(expected, IdShapes.IsEc2Style(id));
    }
}
