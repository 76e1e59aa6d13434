namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A method's HttpMethod, a resource's PathPart and a stage variable's name, refused as API Gateway refuses them when
/// they are created; each had loaded and failed (or matched nothing) at call time.
/// </summary>
public class ApiNameMappingTests
{
    private static string Template(string pathPart = "items", string method = "GET", string variable = "Backend") => $$"""
        Resources:
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
          Items: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: "{{pathPart}}" } }
          Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !Ref Items, HttpMethod: {{method}}, AuthorizationType: NONE, Integration: { Type: MOCK } } }
          Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api } }
          Stage: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: dev, Variables: { {{variable}}: x } } }
        """;

    private static (string Resource, string Property, string Message) Only(string template)
    {
        var problem = TestTemplates.SingleProblem(template);
        return (problem.Resource, problem.Property, problem.Message);
    }

    [Theory]
    [InlineData("items", "get", "Backend_2")]
    [InlineData("{id}", "ANY", "b")]
    [InlineData("{proxy+}", "OPTIONS", "B")]
    [InlineData(".well-known", "PATCH", "_")]
    public void Api_NamesApiGatewayTakes_AreValid(string pathPart, string method, string variable) =>
        TestTemplates.LoadValid(Template(pathPart, method, variable));

    [Theory]
    [InlineData("{proxy+")]
    [InlineData("a/b")]
    [InlineData("{pro}xy}")]
    [InlineData("it ems")]
    public void Resource_PathPartApiGatewayRefuses_ProblemAtPathPart(string pathPart)
    {
        Assert.Equal(
            ("Items", "Properties.PathPart", $"'{pathPart}': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace."),
            Only(Template(pathPart: pathPart)));
    }

    [Fact]
    public void Method_UnknownHttpMethod_ProblemListingTheValidOnes()
    {
        Assert.Equal(
            ("Get", "Properties.HttpMethod", "Invalid HttpMethod specified: 'FETCH'. Valid options are ANY,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT."),
            Only(Template(method: "FETCH")));
    }

    [Theory]
    [InlineData("VPC-Link")]
    [InlineData("a.b")]
    public void Stage_VariableNameNotAlphanumeric_ProblemAtTheVariable(string name)
    {
        Assert.Equal(
            ("Stage", $"Properties.Variables.{name}", "A stage variable name can only contain alphanumeric characters and underscores."),
            Only(Template(variable: name)));
    }
}
