using Cloister.Policy;
using Cloister.Templates.Iam;

namespace Cloister.Templates.Tests.Iam;

/// <summary>Cloister's copy of AWS managed policies: every document is a valid identity policy, found by ARN in any partition.</summary>
public sealed class AwsManagedPoliciesTests
{
    public static TheoryData<string> CopiedPaths => [.. AwsManagedPolicies.Paths];

    [Theory]
    [MemberData(nameof(CopiedPaths))]
    public void Find_EveryCopiedPolicy_IsAValidIdentityPolicy(string path)
    {
        var document = AwsManagedPolicies.Find(path, "aws");

        Assert.NotNull(document);
        var parsed = Cloister.Policy.Policy.Parse(document, new PolicyParseOptions(PolicyKind.Identity));
        Assert.True(parsed.IsValid, $"{path}: {parsed.ErrorMessage}");
        Assert.DoesNotContain('\n', document);
    }

    [Fact]
    public void Paths_PoliciesTemplatesAttachMost_AreCopiedUnderTheirArnPaths()
    {
        string[] expected =
        [
            "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
            "service-role/AWSLambdaBasicExecutionRole", "service-role/AWSLambdaVPCAccessExecutionRole",
            "service-role/AWSLambdaDynamoDBExecutionRole", "AWSLambdaExecute", "AWSLambda_FullAccess", "AWSLambdaInvocation-DynamoDB",
            "AmazonSSMManagedInstanceCore", "AmazonAPIGatewayInvokeFullAccess", "AmazonAPIGatewayAdministrator",
            "CloudWatchLogsFullAccess", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess",
        ];

        Assert.All(expected, path => Assert.Contains(path, AwsManagedPolicies.Paths));
    }

    [Fact]
    public void Find_AnotherPartition_WritesTheDocumentsArnsInIt()
    {
        var document = AwsManagedPolicies.Find("AWSLambdaExecute", "aws-cn");

        Assert.Contains("\"arn:aws-cn:logs:*:*:*\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("arn:aws:", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_PolicyNotCopied_IsNull() => Assert.Null(AwsManagedPolicies.Find("AmazonEC2FullAccess", "aws"));

    [Theory]
    [InlineData("AWSLambdaVPCAccessExecutionRole", "service-role/AWSLambdaVPCAccessExecutionRole")]
    [InlineData("AmazonDynamoDBReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess")]
    [InlineData("SomethingElse", "SomethingElse")]
    public void PathOf_PolicyName_IsWhereAwsKeepsIt(string name, string path) => Assert.Equal(path, AwsManagedPolicies.PathOf(name));
}
