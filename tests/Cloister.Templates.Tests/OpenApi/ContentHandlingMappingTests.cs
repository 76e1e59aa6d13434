using Cloister.Model.Api;

namespace Cloister.Templates.Tests.OpenApi;

/// <summary><c>ContentHandling</c> on integrations and integration responses, from CloudFormation and from OpenAPI bodies.</summary>
public class ContentHandlingMappingTests
{
    private static string MethodTemplate(string integrationHandling, string responseHandling) => $$"""
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: { Name: files, EndpointConfiguration: { Types: [REGIONAL] }, BinaryMediaTypes: [image/png] }
          PutFile:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: PUT
              AuthorizationType: NONE
              Integration:
                Type: HTTP
                IntegrationHttpMethod: PUT
                Uri: http://backend.internal/files
                {{integrationHandling}}
                IntegrationResponses:
                  - StatusCode: "200"
                    {{responseHandling}}
                  - StatusCode: "500"
                    SelectionPattern: "5\\d{2}"
        """;

    [Fact]
    public void Method_ContentHandlingValues_MapToIntegrationAndResponses()
    {
        var api = TestTemplates.LoadValid(MethodTemplate("ContentHandling: CONVERT_TO_TEXT", "ContentHandling: CONVERT_TO_BINARY")).Model.RestApis.Single();

        var integration = api.Resources.Single(r => r.Path == "/").Methods.Single().Integration!;
        Assert.Equal(ContentHandling.ConvertToText, integration.ContentHandling);
        Assert.Equal([ContentHandling.ConvertToBinary, ContentHandling.Passthrough], integration.Responses.Select(r => r.ContentHandling));
    }

    [Fact]
    public void Method_UnknownContentHandling_IsAProblemNamingResourceAndProperty()
    {
        var result = TestTemplates.Load(MethodTemplate("ContentHandling: CONVERT_TO_BASE64", "ContentHandling: convert_to_binary"));

        var problems = result.Validation.Problems.Where(p => p.Resource == "PutFile").ToList();
        Assert.Contains(problems, p => p.Property.EndsWith("Integration.ContentHandling", StringComparison.Ordinal)
            && p.Message.Contains("'CONVERT_TO_BASE64' is not CONVERT_TO_TEXT or CONVERT_TO_BINARY", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property.EndsWith("Integration.IntegrationResponses[0].ContentHandling", StringComparison.Ordinal)
            && p.Message.Contains("'convert_to_binary'", StringComparison.Ordinal));
    }

    private static string BodyTemplate(string integrationHandling, string responseHandling) => $$"""
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              EndpointConfiguration: { Types: [REGIONAL] }
              Body:
                swagger: "2.0"
                info: { title: files }
                x-amazon-apigateway-binary-media-types: [image/png]
                paths:
                  /files:
                    post:
                      x-amazon-apigateway-integration:
                        type: http
                        httpMethod: POST
                        uri: http://backend.internal/files
                        contentHandling: {{integrationHandling}}
                        responses:
                          default: { statusCode: "200", contentHandling: {{responseHandling}} }
        """;

    [Fact]
    public void Body_ContentHandlingValues_MapToIntegrationAndResponses()
    {
        var api = TestTemplates.LoadValid(BodyTemplate("CONVERT_TO_BINARY", "CONVERT_TO_TEXT")).Model.RestApis.Single();

        var integration = api.Resources.Single(r => r.Path == "/files").Methods.Single().Integration!;
        Assert.Equal(ContentHandling.ConvertToBinary, integration.ContentHandling);
        Assert.Equal(ContentHandling.ConvertToText, Assert.Single(integration.Responses).ContentHandling);
    }

    [Fact]
    public void Body_UnknownContentHandling_IsAProblemInsideTheBody()
    {
        var result = TestTemplates.Load(BodyTemplate("TEXT", "BINARY"));

        var problems = result.Validation.Problems;
        Assert.Contains(problems, p => p.Resource == "Api" && p.Property == "Properties.Body.paths./files.post.x-amazon-apigateway-integration.contentHandling"
            && p.Message.Contains("'TEXT'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Resource == "Api" && p.Property == "Properties.Body.paths./files.post.x-amazon-apigateway-integration.responses.default.contentHandling"
            && p.Message.Contains("'BINARY'", StringComparison.Ordinal));
    }
}
