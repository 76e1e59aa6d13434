using Cloister.Gateway.Pipeline;

namespace Cloister.Gateway.Tests.Pipeline;

public sealed class RequestIdsTests
{
    [Fact]
    public void Next_ManyIds_AreVersion4UuidsWithTheRfcVariant()
    {
        for (var i = 0; i < 1000; i++)
        {
            var (requestId, _) = RequestIds.Next();

            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", requestId);
        }
    }

    [Fact]
    public void Next_ManyIds_AreAllDifferent()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.Next()).ToList();

        Assert.Equal(ids.Count, ids.Select(i => i.RequestId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Count, ids.Select(i => i.ExtendedRequestId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Next_ExtendedId_Is16Base64CharactersWithoutSlashOrPlus()
    {
        for (var i = 0; i < 1000; i++)
        {
            var (_, extended) = RequestIds.Next();

            Assert.Matches("^[A-Za-z0-9]{15}=$", extended);
        }
    }
}
