using Cloister.Model.Compute;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A Lambda function's tags in the model, as ListTags shows them on AWS: the template's (AWS::Lambda::Function's list,
/// AWS::Serverless::Function's map with its Globals and SAM's <c>lambda:createdBy</c>) and CloudFormation's own
/// <c>aws:cloudformation:*</c>; tags Lambda would refuse are template problems naming the resource and the tag.
/// </summary>
public sealed class FunctionTagMappingTests
{
    private const string Function = """
              FunctionName: claims
              Runtime: nodejs22.x
              Handler: index.handler
              Code: { ZipFile: x }
        """;

    [Fact]
    public void LambdaFunction_TagsList_TheTagsAndCloudFormationsOwn()
    {
        var function = Single(TestTemplates.LoadValid(TestTemplates.OneResource("AWS::Lambda::Function", Function + """

                  Tags: [{ Key: team, Value: claims }, { Key: env, Value: "" }]
            """)));

        Assert.Equal("claims", function.Tags["team"]);
        Assert.Equal(string.Empty, function.Tags["env"]);
        Assert.Equal("template", function.Tags["aws:cloudformation:stack-name"]);
        Assert.Equal("Thing", function.Tags["aws:cloudformation:logical-id"]);
        Assert.StartsWith("arn:aws:cloudformation:eu-central-1:123456789012:stack/template/", function.Tags["aws:cloudformation:stack-id"], StringComparison.Ordinal);
        Assert.Equal(5, function.Tags.Count);
    }

    [Fact]
    public void LambdaFunction_StackId_TheOneAwsStackIdGives()
    {
        var result = TestTemplates.LoadValid(TestTemplates.OneResource("AWS::Lambda::Function", Function + """

                  Tags: [{ Key: stack, Value: !Ref AWS::StackId }]
            """));

        var function = Single(result);
        Assert.Equal(function.Tags["stack"], function.Tags["aws:cloudformation:stack-id"]);
    }

    [Fact]
    public void ServerlessFunction_TagsMapAndGlobals_MergedWithLambdaCreatedBySam()
    {
        var function = Single(TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: { Tags: { team: platform, cost-center: "42" } }
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs22.x, Tags: { team: claims } }
            """));

        Assert.Equal("SAM", function.Tags["lambda:createdBy"]);
        Assert.Equal("claims", function.Tags["team"]);
        Assert.Equal("42", function.Tags["cost-center"]);
        Assert.Equal("Fn", function.Tags["aws:cloudformation:logical-id"]);
    }

    [Fact]
    public void ServerlessFunction_UserSetsLambdaCreatedBy_SamsRefusal()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs22.x, Tags: { "lambda:createdBy": me } }
            """);

        Assert.Equal("Fn", problem.Resource);
        Assert.Contains("lambda:createdBy is a reserved Tag key name", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ Key: aws:team, Value: x }", "Properties.Tags[0].Key", "reserved")]
    [InlineData("{ Key: AWS:team, Value: x }", "Properties.Tags[0].Key", "reserved")]
    [InlineData("{ Key: a, Value: x }, { Key: a, Value: y }", "Properties.Tags[1].Key", "more than once")]
    [InlineData("{ Value: x }", "Properties.Tags[0].Key", "required")]
    public void LambdaFunction_BadTag_ProblemNamesResourceAndTag(string tags, string property, string words)
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::Lambda::Function", Function + $"""

                  Tags: [{tags}]
            """));

        Assert.Equal(("Thing", property), (problem.Resource, problem.Property));
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(128, 256, true)]
    [InlineData(129, 1, false)]
    [InlineData(1, 257, false)]
    public void LambdaFunction_TagLengths_LambdasLimits(int keyLength, int valueLength, bool valid)
    {
        var tag = $"{{ Key: {new string('k', keyLength)}, Value: {new string('v', valueLength)} }}";

        var result = TestTemplates.Load(TestTemplates.OneResource("AWS::Lambda::Function", Function + $"""

                  Tags: [{tag}]
            """));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            var problem = Assert.Single(result.Validation.Problems);
            Assert.Equal("Thing", problem.Resource);
            Assert.StartsWith("Properties.Tags[0].", problem.Property, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void LambdaFunction_TagCount_AtMostFifty(int count, bool valid)
    {
        var tags = string.Join(", ", Enumerable.Range(0, count).Select(i => $"{{ Key: k{i}, Value: v }}"));

        var result = TestTemplates.Load(TestTemplates.OneResource("AWS::Lambda::Function", Function + $"""

                  Tags: [{tags}]
            """));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(("Thing", "Properties.Tags"), (Assert.Single(result.Validation.Problems).Resource, result.Validation.Problems[0].Property));
        }
    }

    [Fact]
    public void ServerlessFunction_FiftyTagsOfItsOwn_OverTheLimitWithSamsTag()
    {
        var tags = string.Join(", ", Enumerable.Range(0, 50).Select(i => $"k{i}: v"));

        var problem = TestTemplates.SingleProblem($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs22.x, Tags: { {{tags}} } }
            """);

        Assert.Equal(("Fn", "Properties.Tags"), (problem.Resource, problem.Property));
    }

    private static LambdaFunction Single(TemplateLoadResult result) => Assert.Single(result.Model.Functions);
}
