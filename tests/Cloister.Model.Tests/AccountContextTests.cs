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
    public void FromEnvironment_RegionVariables_AwsRegionWins()
    {
        var env = new Dictionary<string, string?> { ["AWS_REGION"] = "eu-central-1", ["AWS_DEFAULT_REGION"] = "eu-west-1", ["CLOISTER_ACCOUNT_ID"] = "123456789012" };
        var context = AccountContext.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Equal("eu-central-1", context.Region);
        Assert.Equal("123456789012", context.AccountId);
    }

    [Fact]
    public void FromEnvironment_OnlyDefaultRegion_UsesIt()
    {
        var context = AccountContext.FromEnvironment(k => k == "AWS_DEFAULT_REGION" ? "eu-west-1" : null);
        Assert.Equal("eu-west-1", context.Region);
        Assert.Equal(AccountContext.DefaultAccountId, context.AccountId);
    }
}
