namespace Cloister.Policy.Tests;

/// <summary><see cref="TrustPolicy"/>: a role's trust policy compiled with the role as its resource.</summary>
public sealed class TrustPolicyTests
{
    [Fact]
    public void WithRoleAsResource_StatementsWithoutResource_GetTheWildcardAndThoseWithOneAreNamed()
    {
        var (json, withResource) = TrustPolicy.WithRoleAsResource("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":"*","Action":"sts:TagSession","NotResource":"x"}]}""");

        Assert.Contains("\"Resource\":\"*\"", json, StringComparison.Ordinal);
        Assert.Equal("Statement[1]", Assert.Single(withResource));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Statement":{"Effect":"Allow","Effect":"Deny"}}""")]
    public void WithRoleAsResource_NotJson_ReturnedAsItIsForTheParser(string document)
    {
        Assert.Equal((document, 0), (TrustPolicy.WithRoleAsResource(document).Json, TrustPolicy.WithRoleAsResource(document).WithResource.Length));
        Assert.False(TrustPolicy.Parse(document).IsValid);
    }

    [Fact]
    public void Parse_StatementWithResource_ProhibitedAtItsPath()
    {
        var parsed = TrustPolicy.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}""");

        Assert.False(parsed.IsValid);
        Assert.Equal("Statement: Has prohibited field Resource.", Assert.Single(parsed.Problems).ToString());
    }

    [Fact]
    public void Parse_ServiceTrust_AllowsTheServiceOnAnyRole()
    {
        var parsed = TrustPolicy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        var context = new RequestContext { Action = "sts:AssumeRole", Resource = "arn:aws:iam::123456789012:role/r", Principal = RequestPrincipal.Service("lambda.amazonaws.com") };

        Assert.Equal(Decision.Allow, parsed.Policy!.Evaluate(context).Decision);
    }
}
