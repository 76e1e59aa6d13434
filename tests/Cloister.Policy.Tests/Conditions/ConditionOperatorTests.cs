using Cloister.Policy.Conditions;

namespace Cloister.Policy.Tests.Conditions;

public sealed class ConditionOperatorTests
{
    public static TheoryData<string> BaseNames => [.. ConditionOperator.BaseNames];

    [Fact]
    public void BaseNames_EveryIamOperator_IsKnown()
    {
        Assert.Equal(27, ConditionOperator.BaseNames.Count());
    }

    [Theory]
    [MemberData(nameof(BaseNames))]
    public void TryParse_EveryQualifierAndSuffix_IsReadOrRejectedForNull(string name)
    {
        foreach (var prefix in new[] { string.Empty, "ForAnyValue:", "ForAllValues:" })
        {
            foreach (var suffix in new[] { string.Empty, "IfExists" })
            {
                var written = prefix + name + suffix;
                var plain = prefix.Length == 0 && suffix.Length == 0;
                var parsed = ConditionOperator.TryParse(written, out var op);

                Assert.Equal(name != "Null" || plain, parsed);
                if (parsed)
                {
                    Assert.Equal(suffix.Length > 0, op!.IfExists);
                    Assert.Equal(prefix switch { "ForAnyValue:" => SetQualifier.ForAnyValue, "ForAllValues:" => SetQualifier.ForAllValues, _ => SetQualifier.None }, op.Qualifier);
                    Assert.Equal(name.Contains("Not", StringComparison.Ordinal), op.Negated);
                }
            }
        }
    }

    [Theory]
    [InlineData("StringEqual")]
    [InlineData("stringEquals")]
    [InlineData("ForAnyValue:")]
    [InlineData("IfExists")]
    [InlineData("StringEqualsIfExistsIfExists")]
    [InlineData("ForAnyValue:ForAllValues:StringEquals")]
    public void TryParse_Unknown_ReturnsFalse(string name)
    {
        Assert.False(ConditionOperator.TryParse(name, out _));
    }
}
