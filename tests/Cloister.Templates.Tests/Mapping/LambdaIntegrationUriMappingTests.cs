namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A method's Lambda proxy integration URI, checked as PutIntegration checks it ("Invalid function ARN or invalid uri");
/// a well-formed function ARN that is no function of these templates loads with a warning, as Cloister cannot run it.
/// </summary>
public class LambdaIntegrationUriMappingTests
{
    private static string Template(string uri) => $$"""
        Resources:
          Table: { Type: AWS::DynamoDB::Table, Properties: {{TestTemplates.TableProperties}} }
          Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: x }, Role: arn:aws:iam::123456789012:role/r } }
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api } }
          Get:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
              AuthorizationType: NONE
              Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "{{uri}}" }
        """;

    private const string Prefix = "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/";

    [Theory]
    [InlineData(Prefix + "${Fn.Arn}/invocations")]
    [InlineData(Prefix + "${Fn.Arn}:live/invocations")]
    [InlineData(Prefix + "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${!stageVariables.fn}/invocations")]
    public void Method_LambdaUriOfTemplateFunction_IsValidWithoutWarning(string uri)
    {
        var result = TestTemplates.LoadValid(Template(uri));

        Assert.DoesNotContain(result.Warnings, w => w.Property == "Properties.Integration.Uri");
    }

    [Fact]
    public void Method_LambdaUriNamingTableArn_InvalidFunctionArnAtUri()
    {
        var problem = TestTemplates.SingleProblem(Template(Prefix + "${Table.Arn}/invocations"));

        Assert.Equal(("Get", "Properties.Integration.Uri"), (problem.Resource, problem.Property));
        Assert.StartsWith("Invalid function ARN or invalid uri: 'arn:aws:dynamodb:eu-central-1:123456789012:table/", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("' is not a Lambda function ARN.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_LambdaUriWithoutFunctionsPath_InvalidUriAtUri()
    {
        var problem = TestTemplates.SingleProblem(Template("arn:aws:apigateway:${AWS::Region}:lambda:path/${Fn.Arn}"));

        Assert.Equal(("Get", "Properties.Integration.Uri"), (problem.Resource, problem.Property));
        Assert.StartsWith("Invalid function ARN or invalid uri: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_LambdaUriOfFunctionElsewhere_ValidWithWarningThatCallsAnswer500()
    {
        var result = TestTemplates.LoadValid(Template(Prefix + "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:elsewhere/invocations"));

        var warning = Assert.Single(result.Warnings, w => w.Property == "Properties.Integration.Uri");
        Assert.Equal("'arn:aws:lambda:eu-central-1:123456789012:function:elsewhere' is not a function of these templates; Cloister cannot run it, so every call of this method answers 500.", warning.Message);
    }
}
