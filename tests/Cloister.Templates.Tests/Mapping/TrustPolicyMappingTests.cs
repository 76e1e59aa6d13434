using Cloister.Model.Iam;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>Roles' trust policies and session limits, and the services that must be allowed to assume the roles they use.</summary>
public sealed class TrustPolicyMappingTests
{
    private const string LambdaTrust = """{ Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }""";

    private const string Network = """
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
        """;

    /// <summary>A role <c>app</c> with <paramref name="properties"/> (indented by 6) and a function <c>Fn</c> using it.</summary>
    private static string RoleAndFunction(string properties) => $$"""
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: app
        {{properties}}
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: nodejs20.x
              Handler: index.handler
              Role: !GetAtt Role.Arn
              Code: { ZipFile: "exports.handler = async () => ({});" }
        """;

    /// <summary>A role <c>app</c> trusting as <paramref name="trust"/> says, its instance profile and an instance <c>Box</c> with the profile.</summary>
    private static string RoleAndInstance(string trust) => $$"""
        Resources:
        {{Network}}
          Role: { Type: AWS::IAM::Role, Properties: { RoleName: app, AssumeRolePolicyDocument: {{trust}} } }
          Profile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref Role] } }
          Box: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref Subnet, IamInstanceProfile: !Ref Profile } }
        """;

    /// <summary>A role <c>invoker</c> trusting as <paramref name="trust"/> says, and a method <c>Get</c> whose integration calls with it.</summary>
    private static string RoleAndMethod(string trust) => $$"""
        Resources:
          Role: { Type: AWS::IAM::Role, Properties: { RoleName: invoker, AssumeRolePolicyDocument: {{trust.ReplaceLineEndings(" ")}} } }
          Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a, EndpointConfiguration: { Types: [PRIVATE] } } }
          Get:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !GetAtt Api.RootResourceId
              HttpMethod: GET
              AuthorizationType: NONE
              Integration:
                Type: AWS
                IntegrationHttpMethod: POST
                Credentials: !GetAtt Role.Arn
                Uri: arn:aws:apigateway:eu-central-1:dynamodb:action/GetItem
        """;

    [Fact]
    public void Role_TrustPolicyAndSessionDuration_AreInTheModel()
    {
        var result = TestTemplates.LoadValid(RoleAndFunction($"""
                  AssumeRolePolicyDocument: {LambdaTrust}
                  MaxSessionDuration: 7200
            """));

        var role = Assert.Single(result.Model.Roles);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""", role.AssumeRolePolicy);
        Assert.Equal(7200, role.MaxSessionDuration);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Role_WithoutMaxSessionDuration_HasOneHour()
    {
        var role = Assert.Single(TestTemplates.LoadValid(RoleAndFunction($"      AssumeRolePolicyDocument: {LambdaTrust}")).Model.Roles);

        Assert.Equal(IamRole.DefaultMaxSessionDuration, role.MaxSessionDuration);
    }

    [Fact]
    public void Role_WithoutTrustPolicy_IsAnErrorNamingTheProperty()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("      Path: /"));

        Assert.Equal(("Role", "Properties.AssumeRolePolicyDocument", "is required."), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData(3599, "greater than or equal to 3600")]
    [InlineData(43201, "less than or equal to 43200")]
    public void Role_MaxSessionDurationOutOfRange_IsIamsValidationError(int seconds, string constraint)
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction($"""
                  AssumeRolePolicyDocument: {LambdaTrust}
                  MaxSessionDuration: {seconds}
            """));

        Assert.Equal(("Role", "Properties.MaxSessionDuration"), (problem.Resource, problem.Property));
        Assert.Equal($"ValidationError: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {constraint}.", problem.Message);
    }

    [Fact]
    public void Role_TrustPolicyWithResource_IsProhibitedAtTheStatement()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("""
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: { Service: lambda.amazonaws.com }
                        Action: sts:AssumeRole
                        Resource: "*"
            """));

        Assert.Equal(("Role", "Properties.AssumeRolePolicyDocument"), (problem.Resource, problem.Property));
        Assert.Equal("MalformedPolicyDocument: Statement[0]: Has prohibited field Resource.", problem.Message);
        Assert.Equal(9, problem.Location?.Line);
    }

    [Fact]
    public void Role_TrustPolicyStringWithOneStatementObject_IsReadAndTrusted()
    {
        var result = TestTemplates.LoadValid(RoleAndFunction("""
                  AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}'
            """));

        Assert.Equal("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}""", Assert.Single(result.Model.Roles).AssumeRolePolicy);
    }

    [Theory]
    [InlineData("'{\"Statement\": ['")]
    [InlineData("'[1, 2]'")]
    [InlineData("'{\"Statement\": [1, \"two\", null]}'")]
    [InlineData("'{\"Statement\": {\"Effect\": \"Allow\", \"Effect\": \"Deny\"}}'")]
    public void Role_TrustPolicyNotAPolicy_IsMalformedAndNoFunctionCheckFollows(string document)
    {
        var result = TestTemplates.Load(RoleAndFunction($"      AssumeRolePolicyDocument: {document}"));

        Assert.False(result.IsValid);
        Assert.All(result.Validation.Problems, p => Assert.Equal(("Role", "Properties.AssumeRolePolicyDocument"), (p.Resource, p.Property)));
        Assert.All(result.Validation.Problems, p => Assert.StartsWith("MalformedPolicyDocument: ", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Role_TrustPolicyWithoutPrincipal_IsMalformedWithItsPath()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("""
                  AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: sts:AssumeRole }] }
            """));

        Assert.Equal(("Role", "Properties.AssumeRolePolicyDocument"), (problem.Resource, problem.Property));
        Assert.StartsWith("MalformedPolicyDocument: Statement[0]: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Principal", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_TrustPolicyOverIamsQuota_IsLimitExceeded()
    {
        var services = string.Join(", ", Enumerable.Range(0, 80).Select(i => $"service{i}.amazonaws.com"));
        var problem = TestTemplates.SingleProblem(RoleAndFunction($$"""
                  AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: [lambda.amazonaws.com, {{services}}] }, Action: sts:AssumeRole }] }
            """));

        Assert.Equal(("Role", "Properties.AssumeRolePolicyDocument"), (problem.Resource, problem.Property));
        Assert.StartsWith("LimitExceeded: Policy document is ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("the limit is 2048", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_RoleNotTrustingLambda_IsLambdasRefusalAtItsRole()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("""
                  AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
            """));

        Assert.Equal(("Fn", "Properties.Role"), (problem.Resource, problem.Property));
        Assert.Equal("InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.", problem.Message);
        Assert.Equal(12, problem.Location?.Line);
    }

    [Fact]
    public void Function_RoleDenyingLambda_IsRefused()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("""
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:*" }
                      - { Effect: Deny, Principal: "*", Action: sts:AssumeRole }
            """));

        Assert.Equal(("Fn", "Properties.Role"), (problem.Resource, problem.Property));
    }

    [Theory]
    [InlineData("StringEquals: { aws:SourceAccount: !Ref AWS::AccountId }")]
    [InlineData("ArnLike: { aws:SourceArn: !Sub \"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*\" }")]
    public void Function_TrustConditionOnTheSourceTheFunctionIs_IsAllowed(string condition)
    {
        var result = TestTemplates.LoadValid(RoleAndFunction($$"""
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole, Condition: { {{condition}} } }]
            """));

        Assert.Single(result.Model.Functions);
    }

    [Fact]
    public void Function_TrustConditionOnAnotherAccount_IsRefused()
    {
        var problem = TestTemplates.SingleProblem(RoleAndFunction("""
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole, Condition: { StringEquals: { aws:SourceAccount: "999999999999" } } }]
            """));

        Assert.Equal(("Fn", "Properties.Role"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void SamFunction_GeneratedRole_TrustsLambda()
    {
        var result = TestTemplates.LoadValid($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: "exports.handler = async () => ({});" }
            """);

        var role = Assert.Single(result.Model.Roles);
        Assert.Contains("lambda.amazonaws.com", role.AssumeRolePolicy, StringComparison.Ordinal);
        Assert.Equal(role.Arn, Assert.Single(result.Model.Functions).RoleArn);
    }

    [Fact]
    public void SamFunction_AssumeRolePolicyNotTrustingLambda_IsRefusedAtTheFunctionsRole()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.SamInlineFunction("""
                  AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
            """));

        Assert.Equal("Fn", problem.Resource);
        Assert.EndsWith("Role", problem.Property, StringComparison.Ordinal);
        Assert.Equal("InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.", problem.Message);
    }

    [Fact]
    public void Instance_ProfileRoleTrustingEc2_HasNoWarning()
    {
        var result = TestTemplates.LoadValid(RoleAndInstance("""{ Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }"""));

        Assert.Equal("app", Assert.Single(result.Model.Instances).InstanceProfileRole);
        Assert.True(result.Model.Instances[0].InstanceProfileRoleAssumable);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Instance_ProfileRoleNotTrustingEc2_WarnsAtTheProfileAndLaunches()
    {
        var result = TestTemplates.LoadValid(RoleAndInstance(LambdaTrust));

        Assert.Equal("app", Assert.Single(result.Model.Instances).InstanceProfileRole);
        Assert.False(result.Model.Instances[0].InstanceProfileRoleAssumable);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Box", "Properties.IamInstanceProfile"), (warning.Resource, warning.Property));
        Assert.Contains("does not let ec2.amazonaws.com assume it", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_IntegrationRoleTrustingApiGateway_HasNoWarning()
    {
        var result = TestTemplates.LoadValid(RoleAndMethod("""{ Statement: [{ Effect: Allow, Principal: { Service: apigateway.amazonaws.com }, Action: sts:AssumeRole }] }"""));

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Method_IntegrationRoleNotTrustingApiGateway_WarnsAtItsCredentials()
    {
        var result = TestTemplates.LoadValid(RoleAndMethod(LambdaTrust));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Get", "Properties.Integration.Credentials"), (warning.Resource, warning.Property));
        Assert.Contains("The trust policy of the integration's role 'invoker' does not let apigateway.amazonaws.com assume it", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_IntegrationRoleTrustingApiGatewayForAnotherApi_Warns()
    {
        var result = TestTemplates.LoadValid(RoleAndMethod("""
            { Statement: [{ Effect: Allow, Principal: { Service: apigateway.amazonaws.com }, Action: sts:AssumeRole,
                            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:execute-api:eu-central-1:123456789012:other/*" } } }] }
            """));

        Assert.Equal(("Get", "Properties.Integration.Credentials"), (Assert.Single(result.Warnings).Resource, Assert.Single(result.Warnings).Property));
    }

    [Fact]
    public void Role_MutatedTrustPolicies_NeverThrow()
    {
        const string seed = """{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}""";
        string[] fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "1", "\"Resource\":\"*\",", "\"Statement\":", "\"Effect\":\"Deny\",", "\"Principal\":\"*\",", "\"NotResource\":[],", "\"Statement\":{}"];
        var random = new Random(27);
        for (var i = 0; i < 400; i++)
        {
            var document = seed;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(document.Length + 1);
                document = random.Next(2) == 0 && at < document.Length
                    ? document.Remove(at, Math.Min(random.Next(1, 8), document.Length - at))
                    : document.Insert(at, fragments[random.Next(fragments.Length)]);
            }

            var result = TestTemplates.Load(RoleAndFunction($"      AssumeRolePolicyDocument: |\n        {document}"));

            Assert.All(result.Validation.Problems, p => Assert.NotNull(p.Location));
        }
    }
}
