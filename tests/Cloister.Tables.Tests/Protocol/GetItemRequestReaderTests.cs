using System.Text;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Tests.Protocol;

/// <summary>The simple GetItem reader: it reads the common request and declines everything else.</summary>
public sealed class GetItemRequestReaderTests
{
    [Fact]
    public void TryRead_TableAndCompositeKey_ReadsSpans()
    {
        var body = """ {"Key":{"PK":{"S":"a-1"},"SK":{"N":"42"}}, "TableName":"orders","ConsistentRead":true,"ReturnConsumedCapacity":"NONE"} """u8;

        Assert.True(GetItemRequestReader.TryRead(body, out var request));
        Assert.Equal("orders", Encoding.UTF8.GetString(request.TableName));
        Assert.Equal(2, request.KeyCount);
        Assert.Equal("PK", Encoding.UTF8.GetString(request.FirstName));
        Assert.Equal("S", Encoding.UTF8.GetString(request.FirstType));
        Assert.Equal("a-1", Encoding.UTF8.GetString(request.FirstValue));
        Assert.Equal("SK", Encoding.UTF8.GetString(request.SecondName));
        Assert.Equal("N", Encoding.UTF8.GetString(request.SecondType));
        Assert.Equal("42", Encoding.UTF8.GetString(request.SecondValue));
    }

    [Theory]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a"}},"ProjectionExpression":"PK"}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"}""")]
    [InlineData("""{"TableName":"ord\u0065rs","Key":{"PK":{"S":"a"}}}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"\u00e9"}}}""")]
    [InlineData("""{"TableName":"orders","TableName":"other","Key":{"PK":{"S":"a"}}}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a"}}} x""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a"}}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a","N":"1"}}}""")]
    [InlineData("""{"TableName":"orders","Key":{"A":{"S":"a"},"B":{"S":"b"},"C":{"S":"c"}}}""")]
    [InlineData("""{"TableName":"orders","Key":{}}""")]
    [InlineData("""{"TableName":"orders"}""")]
    [InlineData("""{"Key":{"PK":{"S":"a"}}}""")]
    [InlineData("""{"TableName":7,"Key":{"PK":{"S":"a"}}}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":7}}}""")]
    [InlineData("""{"TableName":"orders","Key":{"PK":{"S":"a"}},"ConsistentRead":"yes"}""")]
    [InlineData("""["TableName","orders"]""")]
    [InlineData("")]
    public void TryRead_AnythingElse_Declines(string body)
    {
        Assert.False(GetItemRequestReader.TryRead(Encoding.UTF8.GetBytes(body), out _));
    }
}
