namespace Cloister.Templates.Tests.Sam;

/// <summary>
/// Slips people make in SAM functions, each reported once at the function's own property, not through the resources
/// SAM generates from it (a role's Fn::Sub, a permission's Ref, an API without methods).
/// </summary>
public class SamInputMistakesTests
{
    /// <summary>The SAM function Fn with <paramref name="properties"/> (YAML at indent 6), and an API Api its events may name.</summary>
    private static string Function(string properties) =>
        TestTemplates.SamInlineFunction(properties + "\n  Api: { Type: AWS::Serverless::Api, Properties: { StageName: dev } }");

    private static (string Resource, string Property, string Message) Only(string template)
    {
        var problem = TestTemplates.SingleProblem(template);
        return (problem.Resource, problem.Property, problem.Message);
    }

    [Fact]
    public void Events_WrittenAsList_ProblemAtEventsInsteadOfApiWithoutMethods()
    {
        var template = Function("""
                  Events:
                    - Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } }
            """);

        Assert.Equal(("Fn", "Properties.Events", "Events must be a map of event names to events, not a list."), Only(template));
    }

    [Fact]
    public void ApiEvent_RestApiIdOfNoApi_OneProblemAtTheEvent()
    {
        var template = Function("""
                  Events:
                    Get: { Type: Api, Properties: { RestApiId: !Ref Apii, Path: /items, Method: get } }
            """);

        Assert.Equal(
            ("Fn", "Properties.Events.Get.Properties.RestApiId", "'Apii' is not an AWS::Serverless::Api of this template."),
            Only(template));
    }

    [Theory]
    [InlineData("{}", "Must specify valid parameter values for policy template 'DynamoDBCrudPolicy'; missing: TableName (write DynamoDBCrudPolicy: { TableName: ... }).")]
    [InlineData("{ TableName: null }", "Must specify valid parameter values for policy template 'DynamoDBCrudPolicy'; missing: TableName (write DynamoDBCrudPolicy: { TableName: ... }).")]
    [InlineData("claims", "The policy template 'DynamoDBCrudPolicy' takes a map of parameters ({ TableName: ... }), not a string.")]
    public void PolicyTemplate_WithoutItsParameter_ProblemAtThePolicyNotTheGeneratedRole(string arguments, string message)
    {
        var template = Function($$"""
                  Policies:
                    - DynamoDBCrudPolicy: {{arguments}}
            """);

        Assert.Equal(("Fn", "Properties.Policies[0]", message), Only(template));
    }

    [Fact]
    public void PolicyTemplate_WithoutParametersNeeded_IsValid()
    {
        var result = TestTemplates.LoadValid(Function("""
                  Policies:
                    - VPCAccessPolicy: {}
                  Events:
                    Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } }
            """));

        Assert.Contains(result.Model.Roles.Single(r => r.LogicalId == "FnRole").Policies, p => p.Document.Contains("ec2:CreateNetworkInterface", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s3://bucket/code.zip")]
    [InlineData("S3://bucket/folder/")]
    public void CodeUri_S3Location_SaysS3IsNotRunRatherThanMissingPath(string uri)
    {
        var template = $$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn: { Type: AWS::Serverless::Function, Properties: { CodeUri: "{{uri}}", Handler: index.handler, Runtime: nodejs20.x } }
            """;

        Assert.Equal(
            ("Fn", "Properties.CodeUri", $"'{uri}' is in S3, which Cloister does not run; give the local folder or .zip that sam package uploaded from."),
            Only(template));
    }
}
