using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class ArnMatcherTests
{
    private const string Arn = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";

    [Theory]
    [InlineData("*", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", true)]
    [InlineData("arn:aws:execute-api:*:*:*", true)]
    [InlineData("arn:aws:execute-api:*:*:abc123/*/GET/*", true)]
    [InlineData("arn:aws:execute-api:eu-*:1111????3333:abc123/*", true)]
    [InlineData("arn:*:*:*:*:*", true)]
    [InlineData("arn:aws:execute-api:*:abc123/*", false)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/get/claim", false)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/clai", false)]
    [InlineData("arn:aws:lambda:*:*:*", false)]
    public void IsMatch_Patterns_MatchPartByPart(string pattern, bool expected)
    {
        Assert.Equal(expected, ArnMatcher.IsMatch(pattern, default, Arn));
    }

    [Fact]
    public void IsMatch_TextThatIsNoArn_DoesNotMatch()
    {
        Assert.False(ArnMatcher.IsMatch("arn:aws:*:*:*:*", default, "not-an-arn"));
        Assert.True(ArnMatcher.IsMatch("*", default, "not-an-arn"));
    }
}
