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
}
