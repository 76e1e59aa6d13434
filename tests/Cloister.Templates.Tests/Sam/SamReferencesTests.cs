namespace Cloister.Templates.Tests.Sam;

/// <summary>SAM's referenceable properties of an API (<c>MyApi.Stage</c>, <c>MyApi.Deployment</c>...) in Ref, Fn::GetAtt and Fn::Sub.</summary>
public class SamReferencesTests
{
    private static Dictionary<string, string> Outputs(string outputs, string api = "Properties: { StageName: dev }")
    {
        var result = TestTemplates.LoadValid($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                {{api}}
              {{TestTemplates.SamFunction("Fn", restApiId: "Api")}}
            Outputs:
            {{outputs}}
            """);
        return Assert.Single(result.Stacks).Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue, StringComparer.Ordinal);
    }

    [Fact]
    public void Ref_ApiStage_IsTheStageName()
    {
        var outputs = Outputs("""
              Stage: { Value: !Ref Api.Stage }
              Url: { Value: !Sub "https://${Api}.execute-api.${AWS::Region}.amazonaws.com/${Api.Stage}/items" }
            """);
        Assert.Equal("dev", outputs["Stage"]);
        Assert.EndsWith(".execute-api.eu-central-1.amazonaws.com/dev/items", outputs["Url"], StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_ApiDeployment_IsTheDeploymentsIdInEveryForm()
    {
        var outputs = Outputs("""
              Ref: { Value: !Ref Api.Deployment }
              GetAtt: { Value: !GetAtt Api.Deployment.DeploymentId }
              GetAttList: { Value: !GetAtt [Api.Deployment, DeploymentId] }
              Sub: { Value: !Sub "${Api.Deployment.DeploymentId}" }
            """);
        Assert.Matches("^[a-z0-9]{6,}$", outputs["Ref"]);
        Assert.All(outputs.Values, v => Assert.Equal(outputs["Ref"], v));
    }

    [Fact]
    public void Ref_ApiUsagePlanAndApiKey_AreTheGeneratedResources()
    {
        var outputs = Outputs(
            """
              Plan: { Value: !Ref Api.UsagePlan }
              Key: { Value: !Ref Api.ApiKey }
            """,
            """
            Properties:
                  StageName: dev
                  Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: PER_API } }
            """);
        Assert.NotEqual(outputs["Plan"], outputs["Key"]);
        Assert.All(outputs.Values, v => Assert.False(string.IsNullOrEmpty(v)));
    }

    [Fact]
    public void Ref_ImplicitApiStage_IsProd()
    {
        var result = TestTemplates.LoadValid($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              {{TestTemplates.SamFunction("Fn")}}
            Outputs:
              Stage: { Value: !Ref ServerlessRestApi.Stage }
            """);
        Assert.Equal("Prod", Assert.Single(Assert.Single(result.Stacks).Outputs).OutputValue);
    }

    [Fact]
    public void Ref_PropertySamDoesNotHave_StaysAnUnresolvedReference()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api: { Type: AWS::Serverless::Api, Properties: { StageName: dev } }
            Outputs:
              Alias: { Value: !Ref Api.Alias }
            """);
        Assert.Equal(("Alias", "Value"), (problem.Resource, problem.Property));
    }
}
