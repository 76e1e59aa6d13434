namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// A resource type CloudFormation does not have (the wrong case, a misspelling, a name that never existed) is
/// CloudFormation's "Unrecognized resource types", refused whatever the resource's condition and with IgnoreUnsupported
/// too; a real type Cloister does not run keeps Cloister's own note, which IgnoreUnsupported turns into a warning.
/// </summary>
public sealed class ResourceTypeRecognitionTests
{
    [Theory]
    [InlineData("aws::dynamodb::table", " Did you mean 'AWS::DynamoDB::Table'?")]
    [InlineData("AWS::DynamoDb::Table", " Did you mean 'AWS::DynamoDB::Table'?")]
    [InlineData("AWS::DynamoDB::Tabel", " Did you mean 'AWS::DynamoDB::Table'?")]
    [InlineData("AWS::Made::Up", "")]
    public void Load_TypeCloudFormationDoesNotHave_UnrecognizedResourceTypesAtType(string type, string hint)
    {
        var problem = TestTemplates.SingleProblem($"Resources:\n  Items:\n    Type: {type}\n    Properties: {TestTemplates.TableProperties}\n");

        Assert.Equal(("Items", "Type", 3), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal($"Template format error: Unrecognized resource types: [{type}]{hint}", problem.Message);
    }

    [Fact]
    public void Load_UnrecognizedTypeWithIgnoreUnsupported_StillAProblemNotAWarning()
    {
        var result = TestTemplates.Load("Resources:\n  Queue: { Type: aws::sqs::queue }\n", ignoreUnsupported: true);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal("Template format error: Unrecognized resource types: [aws::sqs::queue] Did you mean 'AWS::SQS::Queue'?", problem.Message);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_UnrecognizedTypeUnderFalseCondition_StillAProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Queue: { Type: AWS::SQS::Queues, Condition: Never }
            """);

        Assert.Equal(("Queue", "Type"), (problem.Resource, problem.Property));
        Assert.StartsWith("Template format error: Unrecognized resource types: [AWS::SQS::Queues]", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS::SQS::Queue")]
    [InlineData("Custom::Seeder")]
    [InlineData("MyOrg::Billing::Account")]
    public void Load_TypeCloisterDoesNotRun_CloistersOwnNote(string type)
    {
        var problem = TestTemplates.SingleProblem($"Resources:\n  Thing: {{ Type: '{type}' }}\n");

        Assert.Equal(("Thing", "Type"), (problem.Resource, problem.Property));
        Assert.Equal($"Cloister does not support the resource type '{type}'.", problem.Message);
    }
}
