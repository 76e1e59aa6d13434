using Cloister.Model.Api;

namespace Cloister.Templates.Tests.OpenApi;

public class OpenApiImportTests
{
    private const string Swagger = """
                swagger: "2.0"
                info: { title: claims }
                x-amazon-apigateway-api-key-source: AUTHORIZER
                x-amazon-apigateway-binary-media-types: [application/octet-stream]
                x-amazon-apigateway-endpoint-configuration: { vpcEndpointIds: [vpce-0123456789abcdef0] }
                x-amazon-apigateway-policy:
                  Version: "2012-10-17"
                  Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*/*/* }]
                x-amazon-apigateway-gateway-responses:
                  DEFAULT_4XX:
                    statusCode: 400
                    responseParameters: { gatewayresponse.header.X-Err: "'yes'" }
                    responseTemplates: { application/json: "{\"m\":$context.error.messageString}" }
                x-amazon-apigateway-request-validators:
                  all: { validateRequestBody: true, validateRequestParameters: true }
                securityDefinitions:
                  tokenAuth:
                    type: apiKey
                    name: Authorization
                    in: header
                    x-amazon-apigateway-authtype: custom
                    x-amazon-apigateway-authorizer:
                      type: token
                      authorizerUri: arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:123456789012:function:auth/invocations
                  key: { type: apiKey, name: x-api-key, in: header }
                  sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
                paths:
                  /claim/{id}:
                    parameters: [{ name: id, in: path, required: true }]
                    get:
                      security: [{ tokenAuth: [] }, { key: [] }]
                      parameters: [{ name: memberId, in: query, required: true }]
                      x-amazon-apigateway-request-validator: all
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        httpMethod: POST
                        uri: arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:123456789012:function:get/invocations
                        timeoutInMillis: 5000
                    x-amazon-apigateway-any-method:
                      security: [{ sigv4: [] }]
                      x-amazon-apigateway-integration:
                        type: mock
                        requestTemplates: { application/json: "{\"statusCode\": 200}" }
                        responses:
                          default: { statusCode: "200", responseTemplates: { application/json: "{}" } }
                          "5\\d{2}": { statusCode: "500" }
        """;

    [Fact]
    public void Swagger_WithExtensions_MapsToRestApi()
    {
        var api = Assert.Single(TestTemplates.LoadValid(TestTemplates.PrivateRestApi(Swagger)).Model.RestApis);
        Assert.Equal("claims", api.Name);
        Assert.Equal(EndpointType.Private, api.EndpointType);
        Assert.Equal("vpce-0123456789abcdef0", Assert.Single(api.VpcEndpointIds));
        Assert.Equal("AUTHORIZER", api.ApiKeySource);
        Assert.Equal("application/octet-stream", Assert.Single(api.BinaryMediaTypes));
        Assert.Contains($"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/*/*/*", api.Policy, StringComparison.Ordinal);
        var response = Assert.Single(api.GatewayResponses);
        Assert.Equal(("DEFAULT_4XX", "400", "'yes'"), (response.ResponseType, response.StatusCode, response.ResponseParameters["gatewayresponse.header.X-Err"]));
        Assert.Equal(["/", "/claim", "/claim/{id}"], api.Resources.Select(r => r.Path));
    }

    [Fact]
    public void Swagger_Methods_CarryAuthParametersAndIntegration()
    {
        var api = TestTemplates.LoadValid(TestTemplates.PrivateRestApi(Swagger)).Model.RestApis.Single();
        var resource = api.Resources.Single(r => r.Path == "/claim/{id}");
        var get = resource.Methods.Single(m => m.HttpMethod == "GET");
        Assert.Equal("CUSTOM", get.AuthorizationType);
        Assert.NotNull(get.AuthorizerId);
        Assert.True(get.ApiKeyRequired);
        Assert.True(get.RequestParameters["method.request.path.id"]);
        Assert.True(get.RequestParameters["method.request.querystring.memberId"]);
        Assert.Equal((IntegrationType.AwsProxy, 5000, "POST"), (get.Integration!.Type, get.Integration.TimeoutInMillis, get.Integration.HttpMethod));
        var any = resource.Methods.Single(m => m.HttpMethod == "ANY");
        Assert.Equal("AWS_IAM", any.AuthorizationType);
        Assert.Equal(IntegrationType.Mock, any.Integration!.Type);
        Assert.Equal([null, "5\\d{2}"], any.Integration.Responses.Select(r => r.SelectionPattern));
    }

    [Fact]
    public void OpenApi3_SecuritySchemesInComponents_AreRead()
    {
        var api = TestTemplates.LoadValid(TestTemplates.PrivateRestApi("""
                    openapi: "3.0.1"
                    info: { title: v3 }
                    components:
                      securitySchemes:
                        key: { type: apiKey, name: x-api-key, in: header }
                    paths:
                      /:
                        get:
                          security: [{ key: [] }]
                          x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "http://backend.internal/", connectionType: VPC_LINK, connectionId: abc123 }
            """)).Model.RestApis.Single();
        var get = Assert.Single(api.Resources.Single(r => r.Path == "/").Methods);
        Assert.True(get.ApiKeyRequired);
        Assert.Equal((IntegrationType.HttpProxy, "VPC_LINK", "abc123"), (get.Integration!.Type, get.Integration.ConnectionType, get.Integration.ConnectionId));
    }

    [Fact]
    public void Body_Problems_PointInsideTheBody()
    {
        var result = TestTemplates.Load(TestTemplates.PrivateRestApi("""
                    swagger: "2.0"
                    info: { title: bad }
                    x-amazon-apigateway-gateway-responses: { NOT_A_TYPE: { statusCode: 400 } }
                    paths:
                      /a:
                        fetch: {}
                        get:
                          security: [{ nobody: [] }]
                          x-amazon-apigateway-request-validator: missing
                          x-amazon-apigateway-integration: { type: lambda, timeoutInMillis: 40000 }
                        post: {}
            """));
        var problems = result.Validation.Problems;
        Assert.All(problems, p => Assert.Equal("Api", p.Resource));
        Assert.Contains(problems, p => p.Property == "Properties.Body.x-amazon-apigateway-gateway-responses.NOT_A_TYPE");
        Assert.Contains(problems, p => p.Property == "Properties.Body.paths./a.fetch" && p.Location!.Line == 12);
        Assert.Contains(problems, p => p.Property == "Properties.Body.paths./a.get.security" && p.Message.Contains("'nobody'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("'missing' is not in x-amazon-apigateway-request-validators", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property.EndsWith("x-amazon-apigateway-integration.type", StringComparison.Ordinal) && p.Location!.Line == 16);
        Assert.Contains(problems, p => p.Property.EndsWith("timeoutInMillis", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property == "Properties.Body.paths./a.post" && p.Message.Contains("no x-amazon-apigateway-integration", StringComparison.Ordinal));
    }

    [Fact]
    public void ResourceAndMethodResources_BuildTheSameTree()
    {
        var result = TestTemplates.LoadValid("""
            Resources:
              Api:
                Type: AWS::ApiGateway::RestApi
                Properties: { Name: manual, EndpointConfiguration: { Types: [REGIONAL] } }
              Claim:
                Type: AWS::ApiGateway::Resource
                Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: claim }
              ClaimId:
                Type: AWS::ApiGateway::Resource
                Properties: { RestApiId: !Ref Api, ParentId: !Ref Claim, PathPart: "{id}" }
              GetClaim:
                Type: AWS::ApiGateway::Method
                Properties:
                  RestApiId: !Ref Api
                  ResourceId: !Ref ClaimId
                  HttpMethod: GET
                  AuthorizationType: NONE
                  RequestParameters: { method.request.querystring.memberId: true }
                  Integration:
                    Type: MOCK
                    RequestTemplates: { application/json: "{\"statusCode\": 200}" }
                    IntegrationResponses: [{ StatusCode: "200", SelectionPattern: "" }]
              NotFound:
                Type: AWS::ApiGateway::GatewayResponse
                Properties: { RestApiId: !Ref Api, ResponseType: RESOURCE_NOT_FOUND, StatusCode: "404" }
              Deployment:
                Type: AWS::ApiGateway::Deployment
                DependsOn: GetClaim
                Properties: { RestApiId: !Ref Api, StageName: dev, StageDescription: { Variables: { v: "1" } } }
            """);
        var api = Assert.Single(result.Model.RestApis);
        Assert.Equal(EndpointType.Regional, api.EndpointType);
        var claimId = api.Resources.Single(r => r.Path == "/claim/{id}");
        Assert.Equal(api.Resources.Single(r => r.Path == "/claim").Id, claimId.ParentId);
        var get = Assert.Single(claimId.Methods);
        Assert.True(get.RequestParameters["method.request.querystring.memberId"]);
        Assert.Equal(IntegrationType.Mock, get.Integration!.Type);
        Assert.Equal("RESOURCE_NOT_FOUND", Assert.Single(api.GatewayResponses).ResponseType);
        var deployment = Assert.Single(result.Model.Deployments);
        Assert.Same(api, deployment.Snapshot);
        var stage = Assert.Single(result.Model.Stages);
        Assert.Equal(("dev", deployment.Id, "1"), (stage.StageName, stage.DeploymentId, stage.Variables["v"]));
    }
}
