using Cloister.Model.Api;

namespace Cloister.Templates.Tests.Sam;

public class SamGlobalsTests
{
    [Fact]
    public void GlobalsApi_AppliesToImplicitApi()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Api:
                EndpointConfiguration: PRIVATE
                Auth:
                  ResourcePolicy:
                    SourceVpcWhitelist: [vpc-0123456789abcdef0]
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Handler: index.handler
                  Runtime: nodejs22.x
                  Events: { Hello: { Type: Api, Properties: { Path: /hello, Method: get } } }
            """);
        var api = Assert.Single(result.Model.RestApis);
        Assert.Equal(("ServerlessRestApi", EndpointType.Private), (api.LogicalId, api.EndpointType));
        Assert.Contains($"\"Resource\":[\"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/Prod/GET/hello\"]", api.Policy, StringComparison.Ordinal);
        Assert.Contains("{\"StringNotEquals\":{\"aws:SourceVpc\":[\"vpc-0123456789abcdef0\"]}}", api.Policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Globals_UnknownSectionOrWithoutTransform_IsProblem()
    {
        var unknown = TestTemplates.Load("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              HttpApi: { CorsConfiguration: true }
            Resources:
              T: { Type: AWS::Serverless::SimpleTable }
            """);
        var problem = Assert.Single(unknown.Validation.Problems);
        Assert.Equal(("Globals", "HttpApi", 3), (problem.Resource, problem.Property, problem.Location!.Line));

        var noTransform = TestTemplates.Load("""
            Globals:
              Function: { Timeout: 3 }
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Contains(noTransform.Validation.Problems, p => p.Property == "Globals" && p.Message.Contains("Transform", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Function", "Policies: [AmazonDynamoDBReadOnlyAccess]", "Policies")]
    [InlineData("Function", "Role: arn:aws:iam::123456789012:role/r", "Role")]
    [InlineData("Function", "FunctionName: same", "FunctionName")]
    [InlineData("Function", "Events: { E: { Type: Api, Properties: { Path: /x, Method: get } } }", "Events")]
    [InlineData("Api", "StageName: dev", "StageName")]
    [InlineData("Api", "DefinitionBody: { swagger: '2.0' }", "DefinitionBody")]
    [InlineData("SimpleTable", "TableName: shared", "TableName")]
    public void Globals_PropertySamDoesNotShare_IsProblemAtItsKey(string section, string property, string name)
    {
        var result = TestTemplates.Load($$"""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              {{section}}:
                {{property}}
            Resources:
              T: { Type: AWS::Serverless::SimpleTable }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Globals", $"{section}.{name}", 4, 5), (problem.Resource, problem.Property, problem.Location!.Line, problem.Location.Column));
        Assert.StartsWith($"'Globals' section is invalid. '{name}' is not a supported property of '{section}'.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Globals_MisspelledFunctionProperty_SamsProblemWithTheOneMeant()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Enviroment: { Variables: { A: b } }
            Resources:
              T: { Type: AWS::Serverless::SimpleTable }
            """);

        Assert.Equal(("Globals", "Function.Enviroment"), (problem.Resource, problem.Property));
        Assert.StartsWith("'Globals' section is invalid. 'Enviroment' is not a supported property of 'Function'. Must be one of the following values - Handler, ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Did you mean 'Environment'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Globals_SectionNotAMap_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: [Timeout]
            Resources:
              T: { Type: AWS::Serverless::SimpleTable }
            """);
        Assert.Equal(("Globals", "Function", 3), (problem.Resource, problem.Property, problem.Location!.Line));
    }

    [Fact]
    public void Globals_PropertiesSamShares_ApplyToEachResource()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: { Runtime: nodejs22.x, Handler: index.handler, MemorySize: 512, Tags: { team: claims } }
              Api: { Name: shared, OpenApiVersion: "3.0.1" }
              SimpleTable: { SSESpecification: { SSEEnabled: true } }
            Resources:
              T: { Type: AWS::Serverless::SimpleTable }
              Api: { Type: AWS::Serverless::Api, Properties: { StageName: dev } }
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Events: { E: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /x, Method: get } } }
            """);
        Assert.Equal((512, "nodejs22.x"), (Assert.Single(result.Model.Functions).MemorySize, result.Model.Functions[0].Runtime));
        Assert.Equal("shared", Assert.Single(result.Model.RestApis).Name);
    }
    [Theory]
    [InlineData("Timeout: abc", "Timeout")]
    [InlineData("Runtime: nodejs1.x", "Runtime")]
    [InlineData("MemorySize: 1", "MemorySize")]
    public void Globals_BadFunctionValueInheritedByMany_OneProblemAtTheGlobalsKey(string property, string name)
    {
        var result = TestTemplates.Load($$"""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                {{property}}
            Resources:
              A: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x } }
              B: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x } }
              C: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x } }
            """.Replace("Runtime: nodejs20.x", name == "Runtime" ? "Timeout: 3" : "Runtime: nodejs20.x", StringComparison.Ordinal));
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Globals", $"Function.{name}", 4, 5), (problem.Resource, problem.Property, problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void Globals_BadFunctionValueOverriddenByEveryFunction_IsNoProblem()
    {
        var result = TestTemplates.Load("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Timeout: abc
            Resources:
              A: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x, Timeout: 10 } }
            """);
        Assert.True(result.IsValid, result.Validation.ToString());
    }
    [Fact]
    public void Globals_BadListValueInheritedByMany_OneProblemAtTheGlobalsKey()
    {
        var result = TestTemplates.Load("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Layers: [arn:aws:lambda:eu-central-1:123456789012:layer:shared:1]
            Resources:
              A: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x } }
              B: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x } }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Globals", "Function.Layers", 4), (problem.Resource, problem.Property, problem.Location!.Line));
    }

    [Fact]
    public void Globals_WarnedValueInheritedByMany_OneWarningAtTheGlobalsKey()
    {
        var folder = Directory.CreateTempSubdirectory("cloister-globals-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "layer"));
            File.WriteAllText(Path.Combine(folder.FullName, "layer", "lib.py"), "x = 1\n");
            var result = TestTemplates.Load(
                """
                Transform: AWS::Serverless-2016-10-31
                Globals:
                  Function:
                    Layers: [!Ref Shared]
                Resources:
                  Shared: { Type: AWS::Serverless::LayerVersion, Properties: { ContentUri: ./layer, CompatibleRuntimes: [nodejs20.x] } }
                  A: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: python3.12 } }
                  B: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: index.handler, Runtime: python3.12 } }
                """,
                path: Path.Combine(folder.FullName, "template.yaml"));

            Assert.True(result.IsValid, result.Validation.ToString());
            var warning = Assert.Single(result.Warnings);
            Assert.Equal(("Globals", "Function.Layers", 4), (warning.Resource, warning.Property, warning.Location!.Line));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
