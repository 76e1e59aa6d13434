using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>The path listener rules see: RFC 3986 normalization, as ELB evaluates rules "only after URI normalization occurs".</summary>
public sealed class NormalizedPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a%20b", "/a%20b")]
    [InlineData("/a%3fb", "/a%3Fb")]
    [InlineData("/a%2fb", "/a%2Fb")]
    [InlineData("/%61bc", "/abc")]
    [InlineData("/x%7e%2D%5F%2e%41%39", "/x~-_.A9")]
    [InlineData("/%C3%a9", "/%C3%A9")]
    [InlineData("/a%zz%4", "/a%zz%4")]
    [InlineData("/a%", "/a%")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a/%2E%2E/b", "/b")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/../../a", "/a")]
    [InlineData("//img/x", "//img/x")]
    [InlineData("/a..b/.c", "/a..b/.c")]
    public void Of_RequestPaths_NormalizedAsRfc3986(string path, string expected) =>
        Assert.Equal(expected, NormalizedPath.Of(path));

    [Fact]
    public void Of_RandomPaths_NeverThrowAndLeaveNoDotSegments()
    {
        var random = new Random(3986);
        const string Alphabet = "/.%2Ee5aF~ ?";
        for (var n = 0; n < 20000; n++)
        {
            var path = "/" + new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

            var normalized = NormalizedPath.Of(path);

            Assert.StartsWith("/", normalized, StringComparison.Ordinal);
            Assert.True(normalized.Length <= path.Length, path);
            Assert.DoesNotContain(normalized.Split('/'), segment => segment is "." or "..");
        }
    }
}
