using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Storage;

public sealed class KeyEncoderTests
{
    [Fact]
    public void EncodeNumber_RandomNumbers_ByteOrderIsNumericOrder()
    {
        var random = new Random(42);
        var numbers = Enumerable.Range(0, 2000).Select(_ =>
        {
            var digits = random.Next(1, 20);
            var mantissa = string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10))));
            return DynamoNumber.Parse((random.Next(2) == 0 ? "-" : "") + mantissa + "E" + random.Next(-40, 40));
        }).ToList();

        var byNumber = numbers.Order().ToList();
        var byBytes = numbers.OrderBy(KeyEncoder.EncodeNumber, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();

        Assert.Equal(byNumber.Select(n => n.ToString()), byBytes.Select(n => n.ToString()));
    }

    [Fact]
    public void Encode_Strings_Utf8ByteOrder()
    {
        // U+FF5E sorts before U+1F600 in UTF-8 bytes although its UTF-16 code unit is larger than a surrogate.
        var values = new[] { "\U0001F600", "\uFF5E", "a", "B", "" }.Select(AttributeValue.FromString).ToList();
        var byBytes = values.OrderBy(KeyEncoder.Encode, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).Select(v => v.S);
        var byScalars = values.Order(Comparer<AttributeValue>.Create(AttributeValue.CompareScalars)).Select(v => v.S);

        Assert.Equal(["", "B", "a", "\uFF5E", "\U0001F600"], byBytes);
        Assert.Equal(byBytes, byScalars);
    }
}
