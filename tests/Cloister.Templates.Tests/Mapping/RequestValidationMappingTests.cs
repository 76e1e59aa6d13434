using System.Text.Json;
using Cloister.Model.Api;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>Request validators and models: CloudFormation resources, OpenAPI bodies and SAM events become the API's validation settings.</summary>
public sealed class RequestValidationMappingTests
{
    private const string Head = """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: { Name: pets, EndpointConfiguration: { Types: [PRIVATE] } }
          Pets:
            Type: AWS::ApiGateway::Resource
            Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets }
          Validator:
            Type: AWS::ApiGateway::RequestValidator
            Properties: { RestApiId: !Ref Api, Name: params-only, ValidateRequestParameters: true }
          Pet:
            Type: AWS::ApiGateway::Model
            Properties:
              RestApiId: !Ref Api
              Name: Pet
              ContentType: application/json
              Schema:
                type: object
                required: [name]
                properties: { owner: { $ref: !Sub "https://apigateway.amazonaws.com/restapis/${Api}/models/Owner" } }
          Owner:
            Type: AWS::ApiGateway::Model
            Properties: { RestApiId: !Ref Api, Name: Owner, Schema: "{\"type\": \"object\"}" }

        """;

    private static string Method(string extra) => Head + $$"""
          Post:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Pets
              HttpMethod: POST
              AuthorizationType: NONE
        {{extra}}
              Integration: { Type: MOCK }
        """;

    private static ApiMethod PostOf(RestApi api) => api.Resources.Single(r => r.Path == "/pets").Methods.Single();

    [Fact]
    public void Load_MethodWithValidatorModelsAndParameters_KeepsThemOnTheApi()
    {
        var result = TestTemplates.LoadValid(Method("""
                  RequestValidatorId: !Ref Validator
                  RequestModels: { application/json: !Ref Pet }
                  RequestParameters: { method.request.querystring.limit: true, method.request.header.x-tenant: false }
            """));

        var api = Assert.Single(result.Model.RestApis);
        var validator = Assert.Single(api.RequestValidators);
        Assert.Equal(("params-only", false, true), (validator.Name, validator.ValidateRequestBody, validator.ValidateRequestParameters));
        var method = PostOf(api);
        Assert.Equal(validator.Id, method.RequestValidatorId);
        Assert.Equal("Pet", method.RequestModels["application/json"]);
        Assert.True(method.RequestParameters["method.request.querystring.limit"]);
        Assert.False(method.RequestParameters["method.request.header.x-tenant"]);
        var pet = api.Models.Single(m => m.Name == "Pet");
        Assert.Equal("application/json", pet.ContentType);
        using var schema = JsonDocument.Parse(pet.Schema);
        Assert.Equal(ApiModel.Reference(api.Id, "Owner"), schema.RootElement.GetProperty("properties").GetProperty("owner").GetProperty("$ref").GetString());
        Assert.Equal("{\"type\": \"object\"}", api.Models.Single(m => m.Name == "Owner").Schema);
    }

    [Fact]
    public void Load_ValidatorOfAnotherApi_ReportsMethodRequestValidatorId()
    {
        var problem = TestTemplates.SingleProblem(Method("      RequestValidatorId: !Ref OtherValidator") + """

              Other:
                Type: AWS::ApiGateway::RestApi
                Properties: { Name: other, EndpointConfiguration: { Types: [PRIVATE] } }
              OtherValidator:
                Type: AWS::ApiGateway::RequestValidator
                Properties: { RestApiId: !Ref Other, ValidateRequestBody: true }
            """);

        Assert.Equal(("Post", "Properties.RequestValidatorId"), (problem.Resource, problem.Property));
        Assert.Contains("request validator OtherValidator of another API", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownModelName_ReportsRequestModels()
    {
        var problem = TestTemplates.SingleProblem(Method("      RequestModels: { application/json: Cat }"));

        Assert.Equal(("Post", "Properties.RequestModels.application/json"), (problem.Resource, problem.Property));
        Assert.Equal("'Cat' is not a model of the API Api.", problem.Message);
    }

    [Fact]
    public void Load_SchemaStringNotJson_ReportsModelSchema()
    {
        var problem = TestTemplates.SingleProblem(Head.Replace("Schema: \"{\\\"type\\\": \\\"object\\\"}\"", "Schema: \"{type: object\"", StringComparison.Ordinal));

        Assert.Equal(("Owner", "Properties.Schema"), (problem.Resource, problem.Property));
        Assert.StartsWith("is not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SchemaReferringToUnknownModel_ReportsModelSchema()
    {
        var problem = TestTemplates.SingleProblem(Head.Replace("models/Owner", "models/Nobody", StringComparison.Ordinal));

        Assert.Equal(("Pet", "Properties.Schema"), (problem.Resource, problem.Property));
        Assert.Contains("models/Nobody', which is not a model of the API Api", problem.Message, StringComparison.Ordinal);
    }

    private static readonly string Swagger = TestTemplates.PrivateRestApi("""
                swagger: "2.0"
                info: { title: pets }
                definitions: { Pet: { type: object, properties: { tag: { $ref: "#/definitions/Tag" } } }, Tag: { type: string } }
                x-amazon-apigateway-request-validators:
                  all: { validateRequestBody: true, validateRequestParameters: true }
                  body: { validateRequestBody: true, validateRequestParameters: false }
                x-amazon-apigateway-request-validator: all
                paths:
                  /pets:
                    get:
                      parameters: [{ name: limit, in: query, required: true }, { name: page, in: query }]
                      x-amazon-apigateway-integration: { type: mock }
                    post:
                      x-amazon-apigateway-request-validator: body
                      parameters: [{ name: body, in: body, schema: { $ref: "#/definitions/Pet" } }]
                      x-amazon-apigateway-integration: { type: mock }
        """);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_OpenApiBody_ImportsValidatorsModelsAndRequiredParameters(bool v3)
    {
        var template = !v3 ? Swagger : Swagger
            .Replace("swagger: \"2.0\"", "openapi: 3.0.1", StringComparison.Ordinal)
            .Replace("definitions: {", "components: { schemas: {", StringComparison.Ordinal)
            .Replace("Tag: { type: string } }", "Tag: { type: string } } }", StringComparison.Ordinal)
            .Replace("#/definitions/", "#/components/schemas/", StringComparison.Ordinal)
            .Replace("parameters: [{ name: body, in: body, schema: { $ref: \"#/components/schemas/Pet\" } }]", "requestBody: { content: { application/json: { schema: { $ref: \"#/components/schemas/Pet\" } } } }", StringComparison.Ordinal);
        var result = TestTemplates.LoadValid(template);

        var api = Assert.Single(result.Model.RestApis);
        var byName = api.RequestValidators.ToDictionary(v => v.Name);
        var methods = api.Resources.Single(r => r.Path == "/pets").Methods.ToDictionary(m => m.HttpMethod);
        Assert.Equal(byName["all"].Id, methods["GET"].RequestValidatorId);
        Assert.Equal((true, true), (byName["all"].ValidateRequestBody, byName["all"].ValidateRequestParameters));
        Assert.True(methods["GET"].RequestParameters["method.request.querystring.limit"]);
        Assert.False(methods["GET"].RequestParameters["method.request.querystring.page"]);
        Assert.Equal(byName["body"].Id, methods["POST"].RequestValidatorId);
        Assert.Equal("Pet", methods["POST"].RequestModels["application/json"]);
        using var pet = JsonDocument.Parse(api.Models.Single(m => m.Name == "Pet").Schema);
        Assert.Equal(ApiModel.Reference(api.Id, "Tag"), pet.RootElement.GetProperty("properties").GetProperty("tag").GetProperty("$ref").GetString());
    }

    /// <summary>Shared parameters written once and referred to (<c>#/parameters/X</c>, <c>#/components/parameters/X</c>), as API Gateway's importer resolves them.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_OpenApiParameterReferences_AreResolved(bool v3)
    {
        var shared = v3 ? "components: { parameters: { Limit: { name: limit, in: query, required: true }, Tenant: { name: x-tenant, in: header, required: true } } }"
            : "parameters: { Limit: { name: limit, in: query, required: true }, Tenant: { name: x-tenant, in: header, required: true } }";
        var prefix = v3 ? "#/components/parameters/" : "#/parameters/";
        var result = TestTemplates.LoadValid(TestTemplates.PrivateRestApi($$"""
                    {{(v3 ? "openapi: 3.0.1" : "swagger: \"2.0\"")}}
                    info: { title: pets }
                    {{shared}}
                    x-amazon-apigateway-request-validators: { all: { validateRequestBody: true, validateRequestParameters: true } }
                    x-amazon-apigateway-request-validator: all
                    paths:
                      /pets:
                        parameters: [{ $ref: "{{prefix}}Tenant" }]
                        get:
                          parameters: [{ $ref: "{{prefix}}Limit" }]
                          x-amazon-apigateway-integration: { type: mock }
            """));

        var method = Assert.Single(Assert.Single(result.Model.RestApis).Resources.Single(r => r.Path == "/pets").Methods);
        Assert.True(method.RequestParameters["method.request.querystring.limit"]);
        Assert.True(method.RequestParameters["method.request.header.x-tenant"]);
    }

    [Fact]
    public void Load_OpenApiParameterReferenceToNothing_ReportsIt()
    {
        var problem = TestTemplates.SingleProblem(Swagger.Replace("[{ name: limit, in: query, required: true }, { name: page, in: query }]", "[{ $ref: \"#/parameters/Nope\" }]", StringComparison.Ordinal));

        Assert.Equal(("Api", "Properties.Body.paths./pets.get.parameters"), (problem.Resource, problem.Property));
        Assert.Contains("'#/parameters/Nope' is not a parameter of this document", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SamEventRequestModelAndParameters_TranslatedAsSamDoes()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              PetsApi:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: dev
                  EndpointConfiguration: { Type: PRIVATE }
                  Models:
                    Pet: { type: object, required: [name], properties: { name: { type: string } } }
              Create:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Handler: index.handler
                  Runtime: nodejs20.x
                  Events:
                    Post:
                      Type: Api
                      Properties:
                        RestApiId: !Ref PetsApi
                        Path: /pets
                        Method: post
                        RequestModel: { Model: Pet, Required: true, ValidateBody: true }
                        RequestParameters:
                          - method.request.header.x-tenant
                          - method.request.querystring.dryRun: { Required: true, Caching: false }
            """);

        var api = Assert.Single(result.Model.RestApis);
        var method = api.Resources.Single(r => r.Path == "/pets").Methods.Single();
        var validator = Assert.Single(api.RequestValidators);
        Assert.Equal(("body-only", true, false), (validator.Name, validator.ValidateRequestBody, validator.ValidateRequestParameters));
        Assert.Equal(validator.Id, method.RequestValidatorId);
        Assert.Equal("pet", method.RequestModels["application/json"]);
        Assert.Contains(api.Models, m => m.Name == "pet");
        Assert.False(method.RequestParameters["method.request.header.x-tenant"]);
        Assert.True(method.RequestParameters["method.request.querystring.dryRun"]);
    }

    [Fact]
    public void Load_SamRequestModelNotInModels_ReportsAsSamDoes()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              PetsApi:
                Type: AWS::Serverless::Api
                Properties: { StageName: dev, EndpointConfiguration: { Type: PRIVATE }, Models: { Pet: { type: object } } }
              Create:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Handler: index.handler
                  Runtime: nodejs20.x
                  Events:
                    Post: { Type: Api, Properties: { RestApiId: !Ref PetsApi, Path: /pets, Method: post, RequestModel: { Model: Cat } } }
            """);

        Assert.Equal("Unable to set RequestModel [Cat] on API method [post] for path [/pets] because it wasn't defined in the API's Models.", problem.Message);
    }
}
