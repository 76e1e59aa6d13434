using Cloister.Model.Arns;

namespace Cloister.Model.Tests.Arns;

public sealed class ArnTests
{
    [Theory]
    [InlineData("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/dev/GET/claim/*")]
    [InlineData("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/*/*/*")]
    [InlineData("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/dev/GET/")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim:live")]
    [InlineData("arn:aws:dynamodb:eu-central-1:123456789012:table/claimsTable/index/byPolicy")]
    [InlineData("arn:aws:iam::123456789012:role/service-role/claims")]
    [InlineData("arn:aws:iam::aws:policy/AdministratorAccess")]
    [InlineData("arn:aws:s3:::bucket/key/with/slashes")]
    [InlineData("arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/lambda/f:*")]
    [InlineData("arn:aws-us-gov:ec2:us-gov-west-1:123456789012:vpc/vpc-0123456789abcdef0")]
    [InlineData("arn:aws-iso-b:sts::123456789012:assumed-role/r/s")]
    [InlineData("arn:aws:apigateway:us-east-1::/domainnames/api.example.com+abc1234567")]
    public void Parse_ThenToString_RoundTrips(string text)
    {
        var arn = Arn.Parse(text);
        Assert.Equal(text, arn.ToString());
        Assert.Equal(arn, Arn.Parse(arn.ToString()));
    }

    [Fact]
    public void Parse_ResourceWithColons_KeepsThemInResource()
    {
        var arn = Arn.Parse("arn:aws:lambda:eu-central-1:123456789012:function:createClaim:live");
        Assert.Equal("aws", arn.Partition);
        Assert.Equal("lambda", arn.Service);
        Assert.Equal("eu-central-1", arn.Region);
        Assert.Equal("123456789012", arn.Account);
        Assert.Equal("function:createClaim:live", arn.Resource);
    }

    [Theory]
    [InlineData("")]
    [InlineData("arn:aws:s3")]
    [InlineData("nra:aws:s3:::bucket")]
    [InlineData("arn:mars:s3:::bucket")]
    [InlineData("arn:aws::eu-central-1:123456789012:x")]
    [InlineData("arn:aws:s3:::")]
    public void TryParse_Malformed_FailsWithReason(string text)
    {
        Assert.False(Arn.TryParse(text, out var arn, out var error));
        Assert.Null(arn);
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => Arn.Parse(text));
    }

    [Fact]
    public void ExecuteApiArn_PathWithSlashesAndWildcards_SplitsIntoParts()
    {
        Assert.True(ExecuteApiArn.TryParse("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/dev/PUT/claim/*/notes", out var arn));
        Assert.Equal("a1b2c3d4e5", arn.ApiId);
        Assert.Equal("dev", arn.Stage);
        Assert.Equal("PUT", arn.Method);
        Assert.Equal("claim/*/notes", arn.Path);
        Assert.Equal("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/dev/PUT/claim/*/notes", arn.ToString());
    }

    [Fact]
    public void ExecuteApiArn_RootResource_HasEmptyPath()
    {
        var arn = new ExecuteApiArn("aws", "eu-central-1", "123456789012", "a1b2c3d4e5", "dev", "GET", string.Empty);
        Assert.Equal("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5/dev/GET/", arn.ToString());
        Assert.True(ExecuteApiArn.TryParse(arn.ToString(), out var parsed));
        Assert.Equal(arn, parsed);
    }

    [Fact]
    public void ExecuteApiArn_OtherService_IsNotOne()
    {
        Assert.False(ExecuteApiArn.TryParse("arn:aws:lambda:eu-central-1:123456789012:function:f", out _));
        Assert.False(ExecuteApiArn.TryParse("arn:aws:execute-api:eu-central-1:123456789012:a1b2c3d4e5", out _));
    }
}
