namespace Cloister.Templates.Tests.Mapping;

/// <summary><c>AWS::Lambda::Permission</c>: each becomes a statement of its function's resource-based policy.</summary>
public class PermissionMappingTests
{
    private const string Fn = """
          Fn: { Type: AWS::Lambda::Function, Properties: { FunctionName: claims, Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: x } } }
        """;

    private static string Resources(string more) => "Resources:\n" + Fn + "\n" + more;

    [Theory]
    [InlineData("!Ref Fn")]
    [InlineData("!GetAtt Fn.Arn")]
    [InlineData("claims")]
    [InlineData("123456789012:function:claims")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:claims")]
    public void Permission_FunctionNameInAnyForm_IsKeptOnTheFunction(string functionName)
    {
        var model = TestTemplates.LoadValid(Resources($$"""
              Allow:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: {{functionName}}
                  Action: lambda:InvokeFunction
                  Principal: apigateway.amazonaws.com
                  SourceArn: arn:aws:execute-api:eu-central-1:123456789012:abc1234567/*/GET/claim/*
                  SourceAccount: "123456789012"
            """)).Model;

        var permission = Assert.Single(Assert.Single(model.Functions).Permissions);
        Assert.Equal(
            ("Allow", "lambda:InvokeFunction", "apigateway.amazonaws.com", "arn:aws:execute-api:eu-central-1:123456789012:abc1234567/*/GET/claim/*", "123456789012"),
            (permission.LogicalId, permission.Action, permission.Principal, permission.SourceArn, permission.SourceAccount));
    }

    [Fact]
    public void Permission_MissingFunctionName_IsAnErrorAtFunctionName()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              Allow: { Type: AWS::Lambda::Permission, Properties: { Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }
            """));

        Assert.Equal(("Allow", "Properties.FunctionName"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Permission_FunctionNotInTemplates_IsAWarningNamingIt()
    {
        var result = TestTemplates.LoadValid(Resources("""
              Allow: { Type: AWS::Lambda::Permission, Properties: { FunctionName: elsewhere, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }
            """));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Allow", "Properties.FunctionName"), (warning.Resource, warning.Property));
        Assert.Contains("'elsewhere' is not a function of these templates", warning.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(result.Model.Functions).Permissions);
    }

    [Fact]
    public void SamApi_LambdaAuthorizer_GetsSamsAuthorizerPermission()
    {
        var result = TestTemplates.LoadValid(TestTemplates.SamApi("""
                  StageName: dev
                  EndpointConfiguration: { Type: PRIVATE }
                  Auth:
                    DefaultAuthorizer: TokenAuth
                    Authorizers:
                      TokenAuth: { FunctionArn: !GetAtt AuthFn.Arn }
              AuthFn: { Type: AWS::Serverless::Function, Properties: { Runtime: provided.al2023, Handler: bootstrap, InlineCode: x } }
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: provided.al2023
                  Handler: bootstrap
                  InlineCode: x
                  Events: { Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /pets, Method: get } } }
            """));

        var api = Assert.Single(result.Model.RestApis);
        var permission = Assert.Single(result.Model.Functions.Single(f => f.LogicalId == "AuthFn").Permissions);
        Assert.Equal("ApiTokenAuthAuthorizerPermission", permission.LogicalId);
        Assert.Equal(("lambda:InvokeFunction", "apigateway.amazonaws.com"), (permission.Action, permission.Principal));
        Assert.Equal($"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/authorizers/*", permission.SourceArn);
    }

    [Theory]
    [InlineData("execute-api:Invoke")]
    [InlineData("lambda:Invoke-Function")]
    [InlineData("lambda:")]
    public void Permission_ActionNotLambdas_IsAnErrorAtAction(string action)
    {
        var problem = TestTemplates.SingleProblem(Resources($$"""
              Allow: { Type: AWS::Lambda::Permission, Properties: { FunctionName: !Ref Fn, Action: "{{action}}", Principal: apigateway.amazonaws.com } }
            """));

        Assert.Equal(("Allow", "Properties.Action"), (problem.Resource, problem.Property));
        Assert.Contains("is not a Lambda action", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_MissingPrincipal_IsAnErrorAtPrincipal()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              Allow: { Type: AWS::Lambda::Permission, Properties: { FunctionName: !Ref Fn, Action: "lambda:*" } }
            """));

        Assert.Equal(("Allow", "Properties.Principal"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void SamApiEvent_GeneratedPermission_IsModelledWithSamsSourceArn()
    {
        var result = TestTemplates.LoadValid("Transform: AWS::Serverless-2016-10-31\nResources:\n  " + TestTemplates.SamFunction("Hello", "/items/{id}", "get"));

        var function = Assert.Single(result.Model.Functions);
        var api = Assert.Single(result.Model.RestApis);
        var permission = Assert.Single(function.Permissions);
        Assert.Equal(("lambda:InvokeFunction", "apigateway.amazonaws.com"), (permission.Action, permission.Principal));
        Assert.Equal($"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/*/GET/items/*", permission.SourceArn);
        Assert.Contains(result.Stacks.Single().Resources, r => r.ResourceType == "AWS::Lambda::Permission" && r.Modelled);
    }

    [Fact]
    public void Method_IntegrationCredentials_AreKeptOnTheIntegration()
    {
        var model = TestTemplates.LoadValid(Resources("""
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a, EndpointConfiguration: { Types: [PRIVATE] } } }
              Get:
                Type: AWS::ApiGateway::Method
                Properties:
                  RestApiId: !Ref Api
                  ResourceId: !GetAtt Api.RootResourceId
                  HttpMethod: GET
                  AuthorizationType: NONE
                  Integration:
                    Type: AWS_PROXY
                    IntegrationHttpMethod: POST
                    Credentials: arn:aws:iam::123456789012:role/invoker
                    Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
            """)).Model;

        var method = Assert.Single(Assert.Single(model.RestApis).Resources.Single(r => r.Path == "/").Methods);
        Assert.Equal("arn:aws:iam::123456789012:role/invoker", method.Integration!.Credentials);
    }

    [Fact]
    public void OpenApi_IntegrationCredentials_AreKeptOnTheIntegration()
    {
        var model = TestTemplates.LoadValid(Resources("""
              Api:
                Type: AWS::ApiGateway::RestApi
                Properties:
                  EndpointConfiguration: { Types: [PRIVATE] }
                  Body:
                    openapi: 3.0.1
                    info: { title: a, version: "1" }
                    paths:
                      /claim:
                        get:
                          x-amazon-apigateway-integration:
                            type: aws_proxy
                            httpMethod: POST
                            credentials: arn:aws:iam::123456789012:role/invoker
                            uri: arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:123456789012:function:claims/invocations
            """)).Model;

        var method = Assert.Single(Assert.Single(model.RestApis).Resources.Single(r => r.Path == "/claim").Methods);
        Assert.Equal("arn:aws:iam::123456789012:role/invoker", method.Integration!.Credentials);
    }
}
