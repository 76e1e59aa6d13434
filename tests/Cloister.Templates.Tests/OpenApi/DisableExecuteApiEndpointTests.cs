namespace Cloister.Templates.Tests.OpenApi;

/// <summary>
/// <c>DisableExecuteApiEndpoint</c> reaches the model, from the property or the body's endpoint configuration (the
/// property winning), where before it was read and dropped, so the gateway kept serving the default names.
/// </summary>
public class DisableExecuteApiEndpointTests
{
    private static string Template(string property, string endpointConfiguration) => $$"""
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              EndpointConfiguration: { Types: [REGIONAL] }
              {{property}}
              Body:
                swagger: "2.0"
                info: { title: t }
                {{endpointConfiguration}}
                paths:
                  /a:
                    get:
                      x-amazon-apigateway-integration:
                        type: mock
                        requestTemplates: { application/json: "{\"statusCode\": 200}" }
                        responses: { default: { statusCode: "200" } }
        """;

    [Theory]
    [InlineData("", "", false)]
    [InlineData("DisableExecuteApiEndpoint: true", "", true)]
    [InlineData("DisableExecuteApiEndpoint: false", "", false)]
    [InlineData("", "x-amazon-apigateway-endpoint-configuration: { disableExecuteApiEndpoint: true }", true)]
    [InlineData("DisableExecuteApiEndpoint: false", "x-amazon-apigateway-endpoint-configuration: { disableExecuteApiEndpoint: true }", false)]
    [InlineData("DisableExecuteApiEndpoint: true", "x-amazon-apigateway-endpoint-configuration: { disableExecuteApiEndpoint: false }", true)]
    public void Map_DisableExecuteApiEndpoint_PropertyOrBodyInTheModel(string property, string body, bool disabled)
    {
        var api = Assert.Single(TestTemplates.LoadValid(Template(property, body)).Model.RestApis);

        Assert.Equal(disabled, api.DisableExecuteApiEndpoint);
    }

    [Fact]
    public void Map_DisableExecuteApiEndpointInTheBodyNotABoolean_ProblemAtItsPath()
    {
        var result = TestTemplates.Load(Template(string.Empty, "x-amazon-apigateway-endpoint-configuration: { disableExecuteApiEndpoint: sometimes }"));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Api", "Properties.Body.x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint", "must be true or false."),
            (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Map_DisableExecuteApiEndpointOnAServerlessApi_InTheModel()
    {
        var result = TestTemplates.LoadValid(TestTemplates.SamApi("""
                  StageName: dev
                  DisableExecuteApiEndpoint: true
                  DefinitionBody: { swagger: "2.0", info: { title: t }, paths: { /x: { get: { x-amazon-apigateway-integration: { type: mock } } } } }
            """));

        Assert.True(Assert.Single(result.Model.RestApis).DisableExecuteApiEndpoint);
    }
}
