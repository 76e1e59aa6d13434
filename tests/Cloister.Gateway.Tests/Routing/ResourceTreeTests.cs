using Cloister.Gateway.Routing;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Routing;

public sealed class ResourceTreeTests
{
    private static readonly ResourceTree Tree = ResourceTree.Build(
    [
        Resource("root000000", "/", Method("GET", null)),
        Resource("claim00000", "/claim", Method("GET", null), Method("POST", null)),
        Resource("claimid000", "/claim/{id}", Method("GET", null)),
        Resource("claimsum00", "/claim/summary", Method("GET", null)),
        Resource("claimnote0", "/claim/{id}/notes", Method("ANY", null)),
        Resource("proxy00000", "/{proxy+}", Method("ANY", null)),
    ]);

    private static RouteMatch? Match(string method, params string[] segments) => Tree.Match(segments, method);

    [Fact]
    public void Match_Root_ReturnsRootResource() => Assert.Equal("root000000", Match("GET")!.Resource.Id);

    [Fact]
    public void Match_LiteralAndParameterSiblings_LiteralWins() => Assert.Equal("claimsum00", Match("GET", "claim", "summary")!.Resource.Id);

    [Fact]
    public void Match_Parameter_BindsValue()
    {
        var match = Match("GET", "claim", "42")!;
        Assert.Equal("claimid000", match.Resource.Id);
        Assert.Equal("42", match.PathParameters["id"]);
    }

    [Fact]
    public void Match_AnyMethod_TakesOtherVerbs()
    {
        var match = Match("PATCH", "claim", "7", "notes")!;
        Assert.Equal("claimnote0", match.Resource.Id);
        Assert.Equal("ANY", match.Method.HttpMethod);
    }

    [Fact]
    public void Match_NoDeeperLiteral_FallsBackToGreedyProxy()
    {
        var match = Match("GET", "claim", "7", "other", "x")!;
        Assert.Equal("proxy00000", match.Resource.Id);
        Assert.Equal("claim/7/other/x", match.PathParameters["proxy"]);
        Assert.False(match.PathParameters.ContainsKey("id"));
    }

    [Fact]
    public void Match_ResourceWithoutThatMethod_ReturnsNull() => Assert.Null(Match("DELETE", "claim"));

    [Fact]
    public void Match_TreeWithoutGreedy_UnknownPathReturnsNull()
    {
        var tree = ResourceTree.Build([Resource("root000000", "/"), Resource("claim00000", "/claim", Method("GET", null))]);
        Assert.Null(tree.Match(["nothing"], "GET"));
        Assert.Null(tree.Match([], "GET"));
    }

    [Fact]
    public void Match_LiteralPath_ReturnsPreparedMatchWithPathAndMethodArn()
    {
        var tree = ResourceTree.Build([Resource("root000000", "/"), Resource("claimsum00", "/claim/summary", Method("GET", null))], "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/");
        var first = tree.Match("/claim/summary", [1..6, 7..14], "GET")!;
        var second = tree.Match("//claim//summary/", [2..7, 9..16], "GET")!;
        Assert.Same(first, second);
        Assert.Equal("/claim/summary", first.LiteralPath);
        Assert.Equal("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/claim/summary", first.MethodArns!["GET"]);
        Assert.Empty(first.PathParameters);
    }

    [Fact]
    public void Match_EscapedSegments_LiteralComparedDecodedParameterBoundAsSent()
    {
        var literal = Tree.Match("/claim/%73ummary", [1..6, 7..16], "GET")!;
        var parameter = Tree.Match("/claim/a%2Fb%20c", [1..6, 7..16], "GET")!;

        Assert.Equal("claimsum00", literal.Resource.Id);
        Assert.Equal("claimid000", parameter.Resource.Id);
        Assert.Equal("a%2Fb%20c", parameter.PathParameters["id"]);
        Assert.Equal("a/b c", parameter.DecodedPathParameters["id"]);
    }

    [Fact]
    public void DecodedPathParameters_NoEscapes_SameDictionary()
    {
        var match = Tree.Match("/claim/42", [1..6, 7..9], "GET")!;
        Assert.Same(match.PathParameters, match.DecodedPathParameters);
    }

    [Fact]
    public void Match_LiteralAnyMethod_HasMethodArnForEachVerb()
    {
        var tree = ResourceTree.Build([Resource("root000000", "/", Method("ANY", null))], "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/");
        var match = tree.Match("/", [], "PATCH")!;
        Assert.Equal("/", match.LiteralPath);
        Assert.Equal("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/PATCH/", match.MethodArns!["PATCH"]);
        Assert.Equal(7, match.MethodArns.Count);
    }

    [Fact]
    public void Match_ParameterOrGreedy_HasNoLiteralPath()
    {
        Assert.Null(Match("GET", "claim", "42")!.LiteralPath);
        Assert.Null(Match("GET", "claim", "42")!.MethodArns);
        Assert.Null(Match("GET", "claim", "7", "other", "x")!.LiteralPath);
    }
}
