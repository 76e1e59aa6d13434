using Cloister.Gateway.Routing;

namespace Cloister.Gateway.Tests.Routing;

public sealed class PathSegmentsTests
{
    private static (string Path, Range[] Segments) Split(string path)
    {
        var segments = new Range[PathSegments.MaxCount(path)];
        return (path, segments[..PathSegments.Split(path, segments)]);
    }

    [Theory]
    [InlineData("/dev/claim/42", new[] { "dev", "claim", "42" })]
    [InlineData("//dev///claim/", new[] { "dev", "claim" })]
    [InlineData("/", new string[0])]
    [InlineData("", new string[0])]
    public void Split_Path_SkipsEmptySegments(string path, string[] expected)
    {
        var (text, segments) = Split(path);
        Assert.Equal(expected, segments.Select(s => text[s]));
    }

    [Theory]
    [InlineData("/dev/claim/42", "/claim/42")]
    [InlineData("/dev//claim///42/", "/claim/42")]
    [InlineData("/dev", "/")]
    [InlineData("/dev/", "/")]
    public void Rooted_SegmentsAfterStage_JoinsThemWithSlashes(string path, string expected)
    {
        var (text, segments) = Split(path);
        Assert.Equal(expected, PathSegments.Rooted(text, segments.AsSpan()[1..]));
    }

    /// <summary>As LocalStack's AWS-validated proxy snapshot shows a <c>{proxy+}</c>: doubled slashes kept, the trailing one not.</summary>
    [Theory]
    [InlineData("/dev/a/b/c", "a/b/c")]
    [InlineData("/dev/a//b/c/", "a//b/c")]
    [InlineData("/dev/a%2Fb/c%20d", "a%2Fb/c%20d")]
    public void Span_GreedyTail_AsSentWithoutTrailingSlash(string path, string expected)
    {
        var (text, segments) = Split(path);
        Assert.Equal(expected, PathSegments.Span(text, segments.AsSpan()[1..]));
    }
}
