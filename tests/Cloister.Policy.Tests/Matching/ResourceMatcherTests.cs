using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class ResourceMatcherTests
{
    private const string Arn = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";

    [Theory]
    [InlineData("*", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", true)]
    [InlineData("arn:aws:execute-api:*", true)]
    [InlineData("arn:aws:*", true)]
    [InlineData("arn:aws:execute-api:eu-*:abc123/*", true)]
    [InlineData("arn:aws:execute-api:*:abc123/*", true)]
    [InlineData("arn:aws:execute-api:eu-*:1111????3333:abc123/*", true)]
    [InlineData("arn:aws:lambda:*", false)]
    [InlineData("arn:aws:execute-api:*-1:abc123/*", false)]
    [InlineData("arn:aws:execute-api:eu-?entral-1:111122223333:abc123/dev/GET/claim", true)]
    [InlineData("arn:aws:execute-api:eu-central-?:abc123/*", false)]
    [InlineData("arn:aws:execute-api:eu-central-1", false)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/get/claim", false)]
    public void IsMatch_TrailingStarOfASegment_ExpandsBeyondTheColon(string pattern, bool expected)
    {
        // IAM policy reference, Resource element: "If the * wildcard is the last character of a resource ARN segment, it can
        // expand to match beyond the colon boundaries"; other wildcards of the first five segments stay inside theirs.
        Assert.Equal(expected, ResourceMatcher.IsMatch(pattern, default, Arn));
    }

    [Fact]
    public void IsMatch_IamDocumentsExample_ResourceExpandsWhereArnLikeDoesNot()
    {
        // The condition operators page: ArnLike fails here because its first * matches only us-east-2; a Resource's * that
        // ends its segment runs on past the colons.
        const string pattern = "arn:aws:someservice:*:111122223333:finance/*";
        const string value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";

        Assert.True(ResourceMatcher.IsMatch(pattern, default, value));
        Assert.False(ArnMatcher.IsMatch(pattern, default, value));
    }

    /// <summary>
    /// A matcher that backtracks into every star would try about C(4000, 200) ways of splitting the resource before
    /// giving up, and never answer: a regression shows as a hung test. The table answers in pattern times ARN steps.
    /// How fast is for benchmarks, not for a clock here (one failed under load).
    /// </summary>
    [Fact]
    public void IsMatch_HostilePatternABacktrackerCouldNotFinish_Answers()
    {
        var pattern = "arn:*:*:*:*:" + string.Concat(Enumerable.Repeat("*a", 200)) + "b";
        var arn = "arn:aws:s3:::" + new string('a', 4000);

        Assert.False(ResourceMatcher.IsMatch(pattern, default, arn));
        Assert.True(ResourceMatcher.IsMatch(pattern.AsSpan(0, pattern.Length - 1), default, arn));
    }
}
