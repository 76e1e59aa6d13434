using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting;

public sealed class RequestIdsTests
{
    [Fact]
    public void Next_ManyCalls_UniqueDynamoShapedIds()
    {
        var ids = new RequestIds();

        var drawn = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        Assert.Equal(drawn.Count, drawn.Distinct(StringComparer.Ordinal).Count());
        Assert.All(drawn, id =>
        {
            Assert.Equal(52, id.Length);
            Assert.True(id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)), id);
        });
    }

    [Fact]
    public void Next_TwoServices_DifferentPrefixes()
    {
        Assert.NotEqual(new RequestIds().Next(), new RequestIds().Next());
    }
}
