using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class ArnPatternTests
{
    private static readonly string[] PatternPieces = ["arn", "aws", "execute-api", "eu-central-1", "111122223333", "abc123", "dev", "GET", "claim", "*", "?", "e*", "a?c123", "", "x"];
    private static readonly string[] Arns =
    [
        "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim",
        "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/",
        "arn:aws:execute-api:eu-west-1:111122223333:abc123/prod/POST/a:b",
        "arn:aws:lambda:eu-central-1:111122223333:function:f",
        "not-an-arn",
        "arn:aws:execute-api:eu-central-1:111122223333:abc123",
    ];

    [Fact]
    public void IsMatch_FastShapes_AgreeWithTheGeneralResourceMatcher()
    {
        var random = new Random(11);
        var context = new RequestContext();
        for (var i = 0; i < 5000; i++)
        {
            var parts = Enumerable.Range(0, 6).Select(_ => PatternPieces[random.Next(PatternPieces.Length)]).ToList();
            parts[5] = string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => PatternPieces[random.Next(PatternPieces.Length)]));
            var pattern = random.Next(10) == 0 ? Arns[random.Next(Arns.Length)] : string.Join(':', parts);
            var arn = Arns[random.Next(Arns.Length)];

            var compiled = new ArnPattern(TemplateText.Parse(pattern, variables: false));

            Assert.Equal(ResourceMatcher.IsMatch(pattern, default, arn), compiled.IsMatch(arn, context));
        }
    }

    [Theory]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/*", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/*/GET/*", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc12?/*", true)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc124/*", false)]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/clai", false)]
    public void IsMatch_CommonShapes_Match(string pattern, bool expected)
    {
        var compiled = new ArnPattern(TemplateText.Parse(pattern, variables: false));

        Assert.Equal(expected, compiled.IsMatch("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", new RequestContext()));
    }
}
