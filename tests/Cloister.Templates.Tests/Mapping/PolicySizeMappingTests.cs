namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Policies the service stores whole: over their size limit or malformed, refused with the resource type and property
/// (the gateway would otherwise compile a malformed one at run time into deny-all).
/// </summary>
public sealed class PolicySizeMappingTests
{
    private const string Network = """
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
        """;

    /// <summary>An endpoint policy written as a JSON string, indented with spaces to exactly <paramref name="length"/> characters.</summary>
    private static string EndpointWithPolicyOfLength(int length)
    {
        const string Head = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]""";
        var policy = Head + new string(' ', length - Head.Length - 1) + "}";
        return "Resources:\n" + Network + $$"""

              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.execute-api, VpcEndpointType: Interface, SubnetIds: [!Ref SubnetA], PolicyDocument: '{{policy}}' }
            """;
    }

    [Fact]
    public void VpcEndpoint_PolicyDocumentOf20480Characters_Accepted()
    {
        var result = TestTemplates.LoadValid(EndpointWithPolicyOfLength(20480));

        Assert.Equal(20480, Assert.Single(result.Model.VpcEndpoints).PolicyDocument!.Length);
    }

    [Fact]
    public void VpcEndpoint_PolicyDocumentOf20481Characters_ProblemNamesResourceAndProperty()
    {
        var problem = TestTemplates.SingleProblem(EndpointWithPolicyOfLength(20481));

        Assert.Equal(("Endpoint", "Properties.PolicyDocument"), (problem.Resource, problem.Property));
        Assert.Equal("AWS::EC2::VPCEndpoint PolicyDocument: Policy document is 20481 characters long; the limit is 20480 (whitespace included).", problem.Message);
    }

    [Fact]
    public void RestApi_PolicyOverLimitOnceExpanded_ProblemNamesResourceAndProperty()
    {
        // 60 statements fit in 8,192 characters as written; the execute-api:/ shorthand, expanded on save, takes them over.
        var statements = Enumerable.Range(0, 60).Select(i =>
            $$"""{"Sid":"S{{i:D4}}","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/stage{{i:D4}}/GET/*"}""");
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";
        Assert.True(policy.Length < 8192);

        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a, EndpointConfiguration: { Types: [PRIVATE] }, Policy: {{policy}} } }
            """);

        Assert.Equal(("Api", "Properties.Policy"), (problem.Resource, problem.Property));
        Assert.StartsWith("AWS::ApiGateway::RestApi Policy: Policy document is ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("characters long; the limit is 8192 (whitespace outside strings not counted).", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ Effect: deny, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" }""", "Statement[0].Effect: Invalid effect: must be \"Allow\" or \"Deny\".")]
    [InlineData("""{ Effect: Allow, Action: execute-api:Invoke, Resource: "execute-api:/*" }""", "Statement[0]: Missing required field Principal")]
    public void RestApi_MalformedPolicy_ProblemAtPolicyInsteadOfDenyAllAtRunTime(string statement, string expected)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a, EndpointConfiguration: { Types: [PRIVATE] }, Policy: { Version: "2012-10-17", Statement: [{{statement}}] } } }
            """);

        Assert.Equal(("Api", "Properties.Policy"), (problem.Resource, problem.Property));
        Assert.StartsWith("AWS::ApiGateway::RestApi Policy: Invalid policy document: MalformedPolicyDocument: " + expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VpcEndpoint_MalformedPolicyDocument_ProblemAtPolicyDocument()
    {
        var problem = TestTemplates.SingleProblem("Resources:\n" + Network + """

              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.execute-api, VpcEndpointType: Interface, SubnetIds: [!Ref SubnetA], PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Resource: "*" }] } }
            """);

        Assert.Equal(("Endpoint", "Properties.PolicyDocument"), (problem.Resource, problem.Property));
        Assert.StartsWith("AWS::EC2::VPCEndpoint PolicyDocument: Invalid policy document: MalformedPolicyDocument: ", problem.Message, StringComparison.Ordinal);
    }
}
