using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Protocol;

public sealed class AttributeValueReaderTests
{
    private static DynamoDbException Refuse(string json) =>
        Assert.Throws<DynamoDbException>(() => AttributeValueReader.Read(JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 }).RootElement, 0));

    [Theory]
    [InlineData("""{"SS":[]}""", "One or more parameter values were invalid: An string set  may not be empty")]
    [InlineData("""{"SS":["a","a"]}""", "One or more parameter values were invalid: Input collection [a, a] contains duplicates.")]
    [InlineData("""{"S":"a","N":"1"}""", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")]
    [InlineData("""{}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"N":"x1"}""", "The parameter cannot be converted to a numeric value: x1")]
    public void Read_InvalidValue_ValidationWithDynamoMessage(string json, string message)
    {
        var error = Refuse(json);
        Assert.Equal(ErrorCodes.Validation, error.Type);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"S":1}""")]
    [InlineData("""{"B":"not base64!"}""")]
    [InlineData("""{"L":{}}""")]
    [InlineData("""{"X":"y"}""")]
    public void Read_WrongJsonShape_SerializationException(string json)
    {
        Assert.Equal(ErrorCodes.Serialization, Refuse(json).Type);
    }

    [Theory]
    [InlineData("""{"N":5}""")]
    [InlineData("""{"S":1}""")]
    [InlineData("""{"NS":[1]}""")]
    public void Read_JsonNumberWhereAStringBelongs_DynamoDbsSerializationMessage(string json)
    {
        var error = Refuse(json);

        Assert.Equal(ErrorCodes.Serialization, error.Type);
        Assert.Equal("NUMBER_VALUE cannot be converted to String", error.Message);
    }

    [Fact]
    public void Read_NestingBeyond32_Refused()
    {
        var json = string.Concat(Enumerable.Repeat("""{"L":[""", 40)) + """{"S":"x"}""" + string.Concat(Enumerable.Repeat("]}", 40));
        Assert.Contains("Nesting Levels have exceeded supported limits", Refuse(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryType_RoundTripsThroughWriter()
    {
        const string json = """{"s":{"S":"x"},"n":{"N":"1.50"},"b":{"B":"AQI="},"t":{"BOOL":true},"z":{"NULL":true},"m":{"M":{"k":{"SS":["a","b"]}}},"l":{"L":[{"NS":["1","2"]},{"BS":["AQ=="]}]}}""";
        var item = AttributeValueReader.ReadItem(JsonDocument.Parse(json).RootElement);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            AttributeValueWriter.WriteItem(writer, item);
        }

        var again = AttributeValueReader.ReadItem(JsonDocument.Parse(stream.ToArray()).RootElement);
        Assert.Equal(item.Count, again.Count);
        Assert.All(item, pair => Assert.True(pair.Value.Equals(again[pair.Key]), pair.Key));
        Assert.Equal("1.5", again["n"].N.ToString());
        Assert.Equal(AttributeKind.BS, again["l"].L[1].Kind);
    }
}
