namespace Cloister.Templates.Tests.Mapping;

/// <summary>A stage's MethodSettings ResourcePath, refused where UpdateStage would refuse the setting path CloudFormation makes of it.</summary>
public sealed class MethodSettingPathMappingTests
{
    [Theory]
    [InlineData("/~1claim/GET", "GET")]
    [InlineData("/claim", "GET")]
    [InlineData("/~1claim~1{id}/", "GET")]
    [InlineData("*", "*")]
    [InlineData("/", "GET")]
    public void Stage_MethodSettingPathApiGatewayRefuses_IsInvalidMethodSettingPath(string path, string method)
    {
        var result = TestTemplates.Load(Template(path, method));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Stage", "Properties.MethodSettings[0].ResourcePath"), (problem.Resource, problem.Property));
        Assert.StartsWith($"Invalid method setting path: {path}/{method}.", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/*", "*")]
    [InlineData("/~1claim", "GET")]
    [InlineData("/~1claim~1{id}", "POST")]
    [InlineData("/~1{proxy+}", "GET")]
    [InlineData("/~1", "GET")]
    public void Stage_MethodSettingPathEscapedOrEveryResource_IsKept(string path, string method)
    {
        var stage = Assert.Single(TestTemplates.LoadValid(Template(path, method)).Model.Stages);

        var setting = Assert.Single(stage.MethodSettings);
        Assert.Equal((path, method), (setting.ResourcePath, setting.HttpMethod));
    }

    private static string Template(string path, string method) => $$"""
        Resources:
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
          Claim: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: claim } }
          Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref Claim, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK } } }
          Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api } }
          Stage:
            Type: AWS::ApiGateway::Stage
            Properties:
              RestApiId: !Ref Api
              DeploymentId: !Ref Deployment
              StageName: dev
              MethodSettings: [{ ResourcePath: "{{path}}", HttpMethod: "{{method}}", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 }]
        """;
}
