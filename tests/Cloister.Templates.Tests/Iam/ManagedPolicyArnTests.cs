using Cloister.Templates.Iam;

namespace Cloister.Templates.Tests.Iam;

public sealed class ManagedPolicyArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", "aws", "AmazonDynamoDBReadOnlyAccess")]
    [InlineData("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "aws", "service-role/AWSLambdaBasicExecutionRole")]
    [InlineData("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess", "aws", "job-function/ViewOnlyAccess")]
    [InlineData("arn:aws:iam::123456789012:policy/teams/Mine", "123456789012", "teams/Mine")]
    public void TryParse_PolicyArnInAnyPartition_ReadsAccountAndPath(string arn, string account, string path)
    {
        Assert.True(ManagedPolicyArn.TryParse(arn, out var parsed));
        Assert.Equal(new ManagedPolicyArn(account, path), parsed);
        Assert.Equal(account == "aws", parsed.IsAwsManaged);
    }

    [Theory]
    [InlineData("AmazonDynamoDBReadOnlyAccess")]
    [InlineData("arn:aws:iam::aws:role/AmazonDynamoDBReadOnlyAccess")]
    [InlineData("arn:aws:iam::12345:policy/Mine")]
    [InlineData("arn:aws:iam:eu-central-1:aws:policy/Mine")]
    [InlineData("arn:aws:s3::aws:policy/Mine")]
    [InlineData("arn:aws:iam::aws:policy/")]
    public void TryParse_NotAPolicyArn_IsFalse(string arn) => Assert.False(ManagedPolicyArn.TryParse(arn, out _));
}
