namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// An API's resources that cannot be placed in its tree are reported once, at the resource whose own property is wrong;
/// the resources and methods below it (which can only name it by its physical id) and the deployment's "no methods" are
/// not reported again.
/// </summary>
public class ApiResourceTreeMappingTests
{
    private static string Template(string claimResource) => $$"""
        Resources:
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
          Claim: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, {{claimResource}} } }
          ClaimId: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !Ref Claim, PathPart: "{id}" } }
          Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref ClaimId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK } } }
          Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api } }
        """;

    [Theory]
    [InlineData("ParentId: !GetAtt Api.RootResourceId", "Properties.PathPart", "is required.")]
    [InlineData("ParentId: !GetAtt Api.RootResourceId, PathPart: { p: claim }", "Properties.PathPart", "must be a string, not a map.")]
    [InlineData("ParentId: abc123, PathPart: claim", "Properties.ParentId", "'abc123' is neither the API's root resource nor one of its resources.")]
    public void Resource_CannotBePlaced_OneProblemAtItNotAtItsChildrenMethodsOrDeployment(string claimResource, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(Template(claimResource));

        Assert.Equal(("Claim", property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Resource_PlacedTree_IsValid()
    {
        var result = TestTemplates.LoadValid(Template("ParentId: !GetAtt Api.RootResourceId, PathPart: claim"));

        Assert.Contains(result.Model.RestApis.Single().Resources, r => r.Path == "/claim/{id}" && !r.Methods.IsEmpty);
    }
}
