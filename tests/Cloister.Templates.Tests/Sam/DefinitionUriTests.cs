namespace Cloister.Templates.Tests.Sam;

public class DefinitionUriTests
{
    [Fact]
    public void DefinitionUri_LocalFile_IsReadWithItsOwnLocations()
    {
        var path = TestTemplates.DataPath("definition-uri", "template.yaml");
        var result = TemplateLoader.Load([new TemplateFile(path)], TestTemplates.Options());
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal("Api", problem.Resource);
        Assert.EndsWith("x-amazon-apigateway-integration.type", problem.Property, StringComparison.Ordinal);
        Assert.Equal(TestTemplates.DataPath("definition-uri", "openapi.json"), problem.Location!.File);
        Assert.Equal(12, problem.Location.Line);
    }

    [Fact]
    public void DefinitionUri_WithNulCharacter_IsProblemAtTheProperty()
    {
        var result = TestTemplates.Load(
            """
            {"Transform": "AWS::Serverless-2016-10-31",
             "Resources": {"Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "dev", "DefinitionUri": "a\u0000b.yaml"}}}}
            """,
            path: "t.json");
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Api", "Properties.DefinitionUri", 2), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Contains("NUL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeUri_WithNulCharacter_IsProblemAtTheProperty()
    {
        var result = TestTemplates.Load(
            """
            {"Transform": "AWS::Serverless-2016-10-31",
             "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "a\u0000b", "Handler": "index.handler", "Runtime": "nodejs20.x"}}}}
            """,
            path: "t.json");
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Properties.CodeUri", 2), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Contains("NUL", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!Sub \"${AWS::StackName}/openapi.yaml\"")]
    [InlineData("!Join [\"\", [./, openapi.yaml]]")]
    public void DefinitionUri_GivenByIntrinsic_RefusedAtTheProperty(string uri)
    {
        // SAM refuses it ("'DefinitionUri' requires Bucket and Key properties to be specified"): the transform reads the
        // path before CloudFormation resolves anything, and 'sam package' resolves no intrinsics in local paths either.
        var problem = TestTemplates.SingleProblem(
            $"Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n      DefinitionUri: {uri}\n");

        Assert.Equal(("Api", "Properties.DefinitionUri", 7), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.StartsWith("SAM reads DefinitionUri before intrinsic functions are resolved", problem.Message, StringComparison.Ordinal);
    }
}
