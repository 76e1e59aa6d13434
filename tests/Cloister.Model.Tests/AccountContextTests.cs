namespace Cloister.Model.Tests;

public sealed class AccountContextTests
{
    [Fact]
    public void Default_IsZeroAccountInUsEast1()
    {
        Assert.Equal("000000000000", AccountContext.Default.AccountId);
        Assert.Equal("us-east-1", AccountContext.Default.Region);
        Assert.Equal("amazonaws.com", AccountContext.Default.UrlSuffix);
    }

    [Fact]
    public void TryFromEnvironment_RegionVariables_AwsRegionWins()
    {
        var env = new Dictionary<string, string?> { ["AWS_REGION"] = "eu-central-1", ["AWS_DEFAULT_REGION"] = "eu-west-1", ["CLOISTER_ACCOUNT_ID"] = "123456789012" };

        Assert.True(AccountContext.TryFromEnvironment(k => env.GetValueOrDefault(k), out var context, out var problem), problem);
        Assert.Equal("eu-central-1", context.Region);
        Assert.Equal("123456789012", context.AccountId);
    }

    [Fact]
    public void TryFromEnvironment_OnlyDefaultRegion_UsesIt()
    {
        Assert.True(AccountContext.TryFromEnvironment(k => k == "AWS_DEFAULT_REGION" ? "eu-west-1" : null, out var context, out var problem), problem);
        Assert.Equal("eu-west-1", context.Region);
        Assert.Equal(AccountContext.DefaultAccountId, context.AccountId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryAccountIdFromEnvironment_UnsetOrBlank_NullForTheDefault(string? value)
    {
        Assert.True(AccountContext.TryAccountIdFromEnvironment(_ => value, out var accountId, out var problem), problem);
        Assert.Null(accountId);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567890123")]
    [InlineData("12345678901a")]
    [InlineData(" 123456789012")]
    [InlineData("１２３４５６７８９０１２")]
    [InlineData("acme")]
    public void TryAccountIdFromEnvironment_NotTwelveDigits_RefusedNamingTheVariableAndValue(string value)
    {
        Assert.False(AccountContext.TryAccountIdFromEnvironment(k => k == "CLOISTER_ACCOUNT_ID" ? value : null, out var accountId, out var problem));
        Assert.Null(accountId);
        Assert.Equal(
            $"CLOISTER_ACCOUNT_ID '{value}' is not an account id: an account id is exactly 12 digits, such as 123456789012; unset it (or leave it empty) for 000000000000.",
            problem);
        Assert.False(AccountContext.TryFromEnvironment(k => k == "CLOISTER_ACCOUNT_ID" ? value : null, out var context, out var same));
        Assert.Null(context);
        Assert.Equal(problem, same);
    }

    [Fact]
    public void TryAccountIdFromEnvironment_TwelveDigits_ThatAccount()
    {
        Assert.True(AccountContext.TryAccountIdFromEnvironment(k => k == "CLOISTER_ACCOUNT_ID" ? "012345678901" : null, out var accountId, out var problem), problem);
        Assert.Equal("012345678901", accountId);
    }
}
