namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// <c>AWS::SSM::Parameter</c> resources and what a template reads from Parameter Store at deployment: value-typed
/// template parameters and <c>{{resolve:ssm:...}}</c> dynamic references, answered from the stacks' own declarations.
/// </summary>
public sealed class SsmParameterTests
{
    [Fact]
    public void SsmParameter_Named_RefIsTheNameAndGetAttGivesTypeAndValue()
    {
        var stack = TestTemplates.LoadValid("""
            Resources:
              Table: { Type: AWS::SSM::Parameter, Properties: { Name: /claims/table, Type: StringList, Value: "a,b", Description: the table, Tier: Standard } }
            Outputs:
              Name: { Value: !Ref Table }
              Type: { Value: !GetAtt Table.Type }
              Value: { Value: !GetAtt Table.Value }
            """).Stacks.Single();

        Assert.Equal(["/claims/table", "StringList", "a,b"], stack.Outputs.Select(o => o.OutputValue));
        var resource = Assert.Single(stack.Resources);
        Assert.Equal(("AWS::SSM::Parameter", "/claims/table"), (resource.ResourceType, resource.PhysicalResourceId));
        Assert.Contains("\"Description\":\"the table\"", resource.PropertiesJson, StringComparison.Ordinal);
    }

    [Fact]
    public void SsmParameter_WithoutName_CloudFormationsGeneratedName()
    {
        var stack = TestTemplates.LoadValid("""
            Resources:
              Endpoint: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: x } }
            """).Stacks.Single();

        Assert.Matches("^CFN-Endpoint-[A-Za-z0-9]{12}$", Assert.Single(stack.Resources).PhysicalResourceId);
    }

    [Theory]
    [InlineData("{ Type: SecureString, Value: x }", "Type", "SecureString is not a type CloudFormation creates")]
    [InlineData("{ Value: x }", "Type", "is required: String or StringList.")]
    [InlineData("{ Type: String }", "Value", "is required")]
    [InlineData("{ Name: 'my param', Type: String, Value: x }", "Name", "is not a parameter name Systems Manager accepts")]
    [InlineData("{ Name: ssm-thing, Type: String, Value: x }", "Name", "not prefixed with aws or ssm")]
    [InlineData("{ Name: /1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16, Type: String, Value: x }", "Name", "more than 15 levels")]
    [InlineData("{ Type: String, Value: abc, AllowedPattern: '^[0-9]+$' }", "Value", "does not match the parameter's AllowedPattern")]
    public void SsmParameter_NotWhatCloudFormationCreates_ProblemNamingTheResourceAndProperty(string properties, string property, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Secret: { Type: AWS::SSM::Parameter, Properties: {{properties}} }
            """);

        Assert.Equal(("Secret", "Properties." + property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SsmParameter_ValueOverFourKilobytes_RefusedForStandardAcceptedForAdvanced()
    {
        var value = new string('x', 5000);

        var problem = TestTemplates.SingleProblem($"Resources:\n  Big: {{ Type: AWS::SSM::Parameter, Properties: {{ Type: String, Value: {value} }} }}\n");
        TestTemplates.LoadValid($"Resources:\n  Big: {{ Type: AWS::SSM::Parameter, Properties: {{ Type: String, Tier: Advanced, Value: {value} }} }}\n");

        Assert.Equal(("Big", "Properties.Value"), (problem.Resource, problem.Property));
        Assert.StartsWith("is longer than 4096 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueParameter_PathTheStackDeclares_TheDeclaredValue()
    {
        var stack = TestTemplates.LoadValid("""
            Parameters:
              TableName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /claims/table }
            Resources:
              Table: { Type: AWS::SSM::Parameter, Properties: { Name: /claims/table, Type: String, Value: claims } }
            Outputs:
              Read: { Value: !Ref TableName }
            """).Stacks.Single();

        Assert.Equal("claims", stack.Outputs.Single().OutputValue);
    }

    [Fact]
    public void DynamicReference_DeclaredName_ReplacedInLiteralsAndWhatSubBuilds()
    {
        var stack = TestTemplates.LoadValid("""
            Resources:
              Table: { Type: AWS::SSM::Parameter, Properties: { Name: /claims/table, Type: String, Value: claims } }
            Outputs:
              Plain: { Value: "table={{resolve:ssm:/claims/table}}" }
              Versioned: { Value: "{{resolve:ssm:/claims/table:1}}" }
              Built: { Value: !Sub "{{resolve:ssm:${Table}}}-x" }
            """).Stacks.Single();

        Assert.Equal(["table=claims", "claims", "claims-x"], stack.Outputs.Select(o => o.OutputValue));
    }

    [Theory]
    [InlineData("{{resolve:ssm:/not/declared}}", "names a parameter the stacks do not declare")]
    [InlineData("{{resolve:ssm:/claims/table:2}}", "asks for version 2 of /claims/table")]
    public void DynamicReference_NotAnswerable_ProblemAtTheProperty(string reference, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Table: { Type: AWS::SSM::Parameter, Properties: { Name: /claims/table, Type: String, Value: claims } }
              Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: "{{reference}}" } }
            """);

        Assert.Equal(("Log", "Properties.LogGroupName"), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamicReference_ParameterOfAStackLoadedBefore_ItsValue()
    {
        var shared = """
            Resources:
              Queue: { Type: AWS::SSM::Parameter, Properties: { Name: /shared/queue, Type: String, Value: !Sub "q-${AWS::Region}" } }
            """;
        var app = """
            Resources:
              Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: "/app/{{resolve:ssm:/shared/queue}}" } }
            """;

        var result = TemplateLoader.Load([new TemplateFile("shared.yaml") { Text = shared }, new TemplateFile("app.yaml") { Text = app }], TestTemplates.Options());

        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Equal("/app/q-eu-central-1", result.Stacks[1].Resources.Single().PhysicalResourceId);
    }
}
