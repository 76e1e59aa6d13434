namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>How an application load balancer's rules read the request path: after RFC 3986 normalization, as ELB does.</summary>
public sealed partial class LoadBalancerServiceTests
{
    [Theory]
    [InlineData("/any-char")]
    [InlineData("/%61ny%2dchar")]
    [InlineData("/x/../any%5Fchar")]
    public async Task Alb_PathPatternOnANormalizedPath_MatchesWhatUnreservedEscapesSpell(string target)
    {
        var (status, body) = await CurlAsync("client", AlbNodes[0], target, "--path-as-is");

        Assert.Equal((200, "one character"), (status, body));
    }

    [Theory]
    [InlineData("/any%20char")]
    [InlineData("/any%3Fchar")]
    public async Task Alb_PathPatternWildcard_DoesNotStandForAnEscapedReservedCharacterWhichReachesTheTargetAsSent(string target)
    {
        Assert.True(await ApiTargetsHealthyAsync());

        var (status, body) = await CurlAsync("client", AlbNodes[0], target, "--path-as-is");

        Assert.Equal(200, status);
        Assert.StartsWith("api", body, StringComparison.Ordinal);
        Assert.Contains($" raw={target} ", body, StringComparison.Ordinal);
    }
}
