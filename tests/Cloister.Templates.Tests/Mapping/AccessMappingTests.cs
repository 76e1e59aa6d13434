using Cloister.Model.Api;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>API keys, usage plans, usage plan keys and authorizers: CloudFormation resources, OpenAPI security schemes, SAM Auth.</summary>
public class AccessMappingTests
{
    private const string Function = "arn:aws:lambda:eu-central-1:123456789012:function:auth";
    private const string AuthorizerUri = "arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/" + Function + "/invocations";

    private const string Api = """
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: { Name: pets, EndpointConfiguration: { Types: [PRIVATE] } }
          Pets: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets } }
          GetPets:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Pets
              HttpMethod: GET
              AuthorizationType: CUSTOM
              AuthorizerId: !Ref TokenAuth
              ApiKeyRequired: true
              Integration: { Type: MOCK, RequestTemplates: { application/json: '{"statusCode": 200}' } }
          Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: GetPets, Properties: { RestApiId: !Ref Api } }
          Stage: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: dev } }
        """;

    private static string Resources(string more) => "Resources:\n" + Api + "\n" + more;

    [Fact]
    public void CloudFormation_AuthorizerKeyPlanAndMembership_AreModelled()
    {
        var model = TestTemplates.LoadValid(Resources($$"""
              TokenAuth:
                Type: AWS::ApiGateway::Authorizer
                Properties:
                  RestApiId: !Ref Api
                  Name: token
                  Type: TOKEN
                  IdentitySource: method.request.header.Authorization
                  IdentityValidationExpression: "Bearer .+"
                  AuthorizerResultTtlInSeconds: 60
                  AuthorizerUri: {{AuthorizerUri}}
              Key: { Type: AWS::ApiGateway::ApiKey, Properties: { Name: partner, Enabled: true, Value: partner-key-0123456789abc } }
              Plan:
                Type: AWS::ApiGateway::UsagePlan
                DependsOn: Stage
                Properties:
                  UsagePlanName: partners
                  ApiStages: [{ ApiId: !Ref Api, Stage: dev, Throttle: { /pets/GET: { RateLimit: 5, BurstLimit: 10 } } }]
                  Throttle: { RateLimit: 100.5, BurstLimit: 200 }
                  Quota: { Limit: 1000, Period: WEEK, Offset: 1 }
              PlanKey: { Type: AWS::ApiGateway::UsagePlanKey, Properties: { KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan } }
            """)).Model;

        var api = Assert.Single(model.RestApis);
        var authorizer = Assert.Single(model.Authorizers);
        var method = api.Resources.Single(r => r.Path == "/pets").Methods.Single();
        Assert.Equal(("CUSTOM", authorizer.Id, true), (method.AuthorizationType, method.AuthorizerId, method.ApiKeyRequired));
        Assert.Equal((api.Id, AuthorizerType.Token, "method.request.header.Authorization", "Bearer .+", 60, AuthorizerUri),
            (authorizer.RestApiId, authorizer.Type, authorizer.IdentitySource, authorizer.IdentityValidationExpression, authorizer.ResultTtlInSeconds, authorizer.AuthorizerUri));
        var key = Assert.Single(model.ApiKeys);
        Assert.Equal(("partner", "partner-key-0123456789abc", true), (key.Name, key.Value, key.Enabled));
        var plan = Assert.Single(model.UsagePlans);
        Assert.Equal(new ThrottleSettings(100.5, 200), plan.Throttle);
        Assert.Equal(new QuotaSettings(1000, QuotaPeriod.Week, 1), plan.Quota);
        var stage = Assert.Single(plan.ApiStages);
        Assert.Equal((api.Id, "dev"), (stage.ApiId, stage.Stage));
        Assert.Equal(new ThrottleSettings(5, 10), stage.MethodThrottles["/pets/GET"]);
        var member = Assert.Single(model.UsagePlanKeys);
        Assert.Equal((key.Id, plan.Id), (member.KeyId, member.UsagePlanId));
    }

    [Fact]
    public void ApiKey_WithoutValueOrEnabled_GetsGeneratedValueAndIsDisabled()
    {
        var model = TestTemplates.LoadValid(Resources($$"""
              TokenAuth: { Type: AWS::ApiGateway::Authorizer, Properties: { RestApiId: !Ref Api, Name: t, Type: TOKEN, IdentitySource: method.request.header.Authorization, AuthorizerUri: {{AuthorizerUri}} } }
              Key: { Type: AWS::ApiGateway::ApiKey }
            """)).Model;

        var key = Assert.Single(model.ApiKeys);
        Assert.Equal(40, key.Value.Length);
        Assert.False(key.Enabled);
    }

    [Theory]
    [InlineData("Quota: { Limit: 10, Period: YEAR }", "Properties.Quota.Period", "'YEAR' is not DAY, WEEK or MONTH.")]
    [InlineData("Quota: { Limit: 10, Period: DAY, Offset: 2 }", "Properties.Quota.Offset", "2 is not between 0 and 0 for a DAY quota.")]
    [InlineData("ApiStages: [{ ApiId: !Ref Api, Stage: prod }]", "Properties.ApiStages[0].Stage", "'prod' is not a stage of the API")]
    public void UsagePlan_Invalid_NamesProperty(string properties, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(Resources($$"""
              TokenAuth: { Type: AWS::ApiGateway::Authorizer, Properties: { RestApiId: !Ref Api, Name: t, Type: TOKEN, IdentitySource: method.request.header.Authorization, AuthorizerUri: {{AuthorizerUri}} } }
              Plan: { Type: AWS::ApiGateway::UsagePlan, DependsOn: Stage, Properties: { {{properties}} } }
            """));

        Assert.Equal(("Plan", property), (problem.Resource, problem.Property));
        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsagePlanKey_UnknownKey_IsReported()
    {
        var problem = TestTemplates.SingleProblem(Resources($$"""
              TokenAuth: { Type: AWS::ApiGateway::Authorizer, Properties: { RestApiId: !Ref Api, Name: t, Type: TOKEN, IdentitySource: method.request.header.Authorization, AuthorizerUri: {{AuthorizerUri}} } }
              Plan: { Type: AWS::ApiGateway::UsagePlan, DependsOn: Stage, Properties: { ApiStages: [{ ApiId: !Ref Api, Stage: dev }] } }
              PlanKey: { Type: AWS::ApiGateway::UsagePlanKey, Properties: { KeyId: abcdefghij, KeyType: API_KEY, UsagePlanId: !Ref Plan } }
            """));

        Assert.Equal(("PlanKey", "Properties.KeyId"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Authorizer_WithoutUri_IsReported()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              TokenAuth: { Type: AWS::ApiGateway::Authorizer, Properties: { RestApiId: !Ref Api, Name: t, Type: REQUEST, IdentitySource: method.request.header.A } }
            """));

        Assert.Equal(("TokenAuth", "Properties.AuthorizerUri"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void OpenApi_AuthorizerSchemes_BecomeAuthorizersOfTheApi()
    {
        var model = TestTemplates.LoadValid(TestTemplates.PrivateRestApi($$"""
                    swagger: "2.0"
                    info: { title: pets }
                    x-amazon-apigateway-api-key-source: AUTHORIZER
                    securityDefinitions:
                      tokenAuth:
                        type: apiKey
                        name: X-Token
                        in: header
                        x-amazon-apigateway-authtype: custom
                        x-amazon-apigateway-authorizer: { type: token, authorizerUri: {{AuthorizerUri}}, authorizerResultTtlInSeconds: 0, identityValidationExpression: "^x" }
                      requestAuth:
                        type: apiKey
                        name: Unused
                        in: header
                        x-amazon-apigateway-authtype: custom
                        x-amazon-apigateway-authorizer: { type: request, authorizerUri: {{AuthorizerUri}}, identitySource: "method.request.header.A, method.request.querystring.b" }
                      key: { type: apiKey, name: x-api-key, in: header }
                    paths:
                      /pets:
                        get:
                          security: [{ tokenAuth: [] }, { key: [] }]
                          x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
                        post:
                          security: [{ requestAuth: [] }]
                          x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
            """)).Model;

        var api = Assert.Single(model.RestApis);
        Assert.Equal("AUTHORIZER", api.ApiKeySource);
        var token = model.Authorizers.Single(a => a.Name == "tokenAuth");
        var request = model.Authorizers.Single(a => a.Name == "requestAuth");
        Assert.Equal((api.Id, AuthorizerType.Token, "method.request.header.X-Token", 0, "^x"), (token.RestApiId, token.Type, token.IdentitySource, token.ResultTtlInSeconds, token.IdentityValidationExpression));
        Assert.Equal((AuthorizerType.Request, "method.request.header.A, method.request.querystring.b", 300), (request.Type, request.IdentitySource, request.ResultTtlInSeconds));
        var methods = api.Resources.Single(r => r.Path == "/pets").Methods;
        Assert.Equal((token.Id, true), (methods.Single(m => m.HttpMethod == "GET").AuthorizerId, methods.Single(m => m.HttpMethod == "GET").ApiKeyRequired));
        Assert.Equal(request.Id, methods.Single(m => m.HttpMethod == "POST").AuthorizerId);
    }

    [Fact]
    public void Sam_AuthWithAuthorizersApiKeyAndUsagePlan_MakesTheSameResourcesAsSam()
    {
        var model = TestTemplates.LoadValid(TestTemplates.SamApi($$"""
                  StageName: dev
                  EndpointConfiguration: { Type: PRIVATE }
                  Auth:
                    ApiKeyRequired: true
                    DefaultAuthorizer: TokenAuth
                    Authorizers:
                      TokenAuth:
                        FunctionArn: {{Function}}
                        Identity: { Header: X-Token, ValidationExpression: "Bearer .+", ReauthorizeEvery: 30 }
                      RequestAuth:
                        FunctionArn: {{Function}}
                        FunctionPayloadType: REQUEST
                        Identity: { Headers: [A], QueryStrings: [b] }
                    UsagePlan:
                      CreateUsagePlan: PER_API
                      Throttle: { RateLimit: 10, BurstLimit: 20 }
                      Quota: { Limit: 500, Period: DAY }
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: provided.al2023
                  Handler: bootstrap
                  InlineCode: "x"
                  Events:
                    Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /pets, Method: get } }
            """)).Model;

        var api = Assert.Single(model.RestApis);
        var token = model.Authorizers.Single(a => a.Name == "TokenAuth");
        var request = model.Authorizers.Single(a => a.Name == "RequestAuth");
        Assert.Equal(("method.request.header.X-Token", "Bearer .+", 30, AuthorizerUri), (token.IdentitySource, token.IdentityValidationExpression, token.ResultTtlInSeconds, token.AuthorizerUri));
        Assert.Equal((AuthorizerType.Request, "method.request.header.A, method.request.querystring.b"), (request.Type, request.IdentitySource));
        var method = api.Resources.Single(r => r.Path == "/pets").Methods.Single();
        Assert.Equal(("CUSTOM", token.Id, true), (method.AuthorizationType, method.AuthorizerId, method.ApiKeyRequired));
        var plan = Assert.Single(model.UsagePlans);
        Assert.Equal((api.Id, "dev"), (plan.ApiStages.Single().ApiId, plan.ApiStages.Single().Stage));
        Assert.Equal(new ThrottleSettings(10, 20), plan.Throttle);
        Assert.Equal(new QuotaSettings(500, QuotaPeriod.Day, 0), plan.Quota);
        var key = Assert.Single(model.ApiKeys);
        Assert.True(key.Enabled);
        Assert.Equal((key.Id, plan.Id), (model.UsagePlanKeys.Single().KeyId, model.UsagePlanKeys.Single().UsagePlanId));
    }

    [Fact]
    public void Method_CustomWithoutSuchAuthorizer_IsReported()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              TokenAuth: { Type: AWS::ApiGateway::ApiKey, Properties: { Enabled: true } }
            """));

        Assert.Equal(("GetPets", "Properties.AuthorizerId"), (problem.Resource, problem.Property));
    }
}
