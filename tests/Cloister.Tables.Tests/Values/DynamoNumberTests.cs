using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Values;

public sealed class DynamoNumberTests
{
    [Theory]
    [InlineData("0012.3400", "12.34")]
    [InlineData("1e2", "100")]
    [InlineData("-0.000", "0")]
    [InlineData("+5", "5")]
    [InlineData(".123", "0.123")]
    [InlineData("1e+5", "100000")]
    [InlineData("0e1000", "0")]
    [InlineData("1.5E-3", "0.0015")]
    [InlineData("-123456789012345678901234567890.12345678", "-123456789012345678901234567890.12345678")]
    public void TryParse_ValidText_CanonicalForm(string text, string expected)
    {
        Assert.True(DynamoNumber.TryParse(text, out var number, out _));
        Assert.Equal(expected, number.ToString());
    }

    [Theory]
    [InlineData("abc", "The parameter cannot be converted to a numeric value: abc")]
    [InlineData("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3")]
    [InlineData("NaN", "The parameter cannot be converted to a numeric value: NaN")]
    [InlineData(" 1", "The parameter cannot be converted to a numeric value:  1")]
    [InlineData("1 ", "The parameter cannot be converted to a numeric value: 1 ")]
    [InlineData("", "The parameter cannot be converted to a numeric value")]
    [InlineData("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number")]
    [InlineData("1E126", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range")]
    public void TryParse_InvalidText_DynamoMessage(string text, string message)
    {
        Assert.False(DynamoNumber.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void TryParse_Limits_Accepted()
    {
        Assert.True(DynamoNumber.TryParse("9.9999999999999999999999999999999999999E+125", out _, out _));
        Assert.True(DynamoNumber.TryParse("1E-130", out _, out _));
        Assert.True(DynamoNumber.TryParse("-1E-130", out _, out _));
    }

    [Fact]
    public void TryAdd_DecimalFractions_Exact()
    {
        Assert.True(DynamoNumber.TryAdd(DynamoNumber.Parse("0.1"), DynamoNumber.Parse("0.2"), out var sum, out _));
        Assert.Equal("0.3", sum.ToString());
    }

    [Fact]
    public void TryAdd_Beyond38Digits_Refused()
    {
        var big = DynamoNumber.Parse("99999999999999999999999999999999999999");
        Assert.False(DynamoNumber.TryAdd(big, DynamoNumber.Parse("0.1"), out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void CompareTo_MixedSignsAndScales_NumericOrder()
    {
        var sorted = new[] { "10", "-5", "0", "2.5", "-0.001", "1E10", "-1E10", "0.0000001" }.Select(DynamoNumber.Parse).Order().Select(n => n.ToString());
        Assert.Equal(["-10000000000", "-5", "-0.001", "0", "0.0000001", "2.5", "10", "10000000000"], sorted);
    }
}
