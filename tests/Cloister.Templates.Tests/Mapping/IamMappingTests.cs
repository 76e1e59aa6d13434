using Cloister.Model.Iam;
using Cloister.Policy;
using Cloister.Templates.Iam;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>IAM roles with every policy that applies to them, as the services that enforce them read the model.</summary>
public sealed class IamMappingTests
{
    private const string Trust = """{ Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }""";

    private static string Role(string properties) => $$"""
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: app
              AssumeRolePolicyDocument: {{Trust}}
        {{properties}}
        """;

    private static IamRole SingleRole(TemplateLoadResult result) => Assert.Single(result.Model.Roles);

    [Fact]
    public void Roles_InlineManagedAndAttachedPolicies_WrittenOutInOrder()
    {
        var result = TestTemplates.LoadValid(Role("""
                  Policies:
                    - PolicyName: inline
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/claims" }]
                  ManagedPolicyArns:
                    - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
                    - !Ref Mine
              Mine:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  ManagedPolicyName: mine
                  PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: "*" }] }
              Attached:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: attached
                  Roles: [!Ref Role]
                  PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "dynamodb:Delete*", Resource: "*" }] }
            """));

        var role = SingleRole(result);
        Assert.Equal(("Role", "app", "arn:aws:iam::123456789012:role/app"), (role.LogicalId, role.RoleName, role.Arn));
        Assert.StartsWith("AROA", role.RoleId, StringComparison.Ordinal);
        Assert.Equal(
            ["inline", "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", "arn:aws:iam::123456789012:policy/mine", "attached"],
            role.Policies.Select(p => p.Name));
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:eu-central-1:123456789012:table/claims"}]}""",
            role.Policies[0].Document);
        Assert.Equal(AwsManagedPolicies.Find("AmazonDynamoDBReadOnlyAccess", "aws"), role.Policies[1].Document);
        Assert.Contains("lambda:InvokeFunction", role.Policies[2].Document, StringComparison.Ordinal);
        Assert.Contains("dynamodb:Delete*", role.Policies[3].Document, StringComparison.Ordinal);
        Assert.All(role.Policies, p => Assert.True(Cloister.Policy.Policy.Parse(p.Document, new PolicyParseOptions(PolicyKind.Identity)).IsValid, p.Name));
        Assert.Null(role.PermissionsBoundary);
        Assert.Empty(result.Warnings);
        Assert.All(result.Stacks.Single().Resources.Where(r => r.ResourceType.StartsWith("AWS::IAM::", StringComparison.Ordinal)), r => Assert.True(r.Modelled, r.ResourceType));
    }

    [Fact]
    public void Roles_DocumentWithYamlScalars_IsValidJsonOfTheirTypes()
    {
        var role = SingleRole(TestTemplates.LoadValid(Role("""
                  Policies:
                    - PolicyName: scalars
                      PolicyDocument:
                        Version: 2012-10-17
                        Statement:
                          - Effect: Deny
                            Action: "*"
                            Resource: "*"
                            Condition:
                              Bool: { aws:SecureTransport: false }
                              NumericGreaterThan: { dynamodb:ReturnConsumedCapacity: 5 }
            """)));

        Assert.Contains("\"Version\":\"2012-10-17\"", role.Policies[0].Document, StringComparison.Ordinal);
        Assert.Contains("{\"aws:SecureTransport\":false}", role.Policies[0].Document, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_ManagedPolicyNamedTwiceAndPoliciesNamingTheRole_AttachedOnceEach()
    {
        var result = TestTemplates.LoadValid(Role("""
                  ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess, arn:aws:iam::aws:policy/AdministratorAccess]
              Mine:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  Roles: [!Ref Role]
                  PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: "*" }] }
              Extra:
                Type: AWS::IAM::RolePolicy
                Properties:
                  RoleName: !Ref Role
                  PolicyName: extra
                  PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:*","Resource":"*"}}'
            """));

        var role = SingleRole(result);
        var mine = Assert.Single(result.Stacks.Single().Resources, r => r.LogicalResourceId == "Mine").PhysicalResourceId;
        Assert.Equal(["arn:aws:iam::aws:policy/AdministratorAccess", mine, "extra"], role.Policies.Select(p => p.Name));
        Assert.Equal("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:*","Resource":"*"}}""", role.Policies[2].Document);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Roles_PermissionsBoundary_IsItsDocument()
    {
        var role = SingleRole(TestTemplates.LoadValid(Role("""
                  PermissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
            """)));

        Assert.Equal(AwsManagedPolicies.Find("PowerUserAccess", "aws"), role.PermissionsBoundary);
    }

    [Fact]
    public void Roles_AwsManagedPolicyNotCopied_WarnsAndGivesNothing()
    {
        var result = TestTemplates.LoadValid(Role("""
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
                    - arn:aws:iam::aws:policy/AmazonEC2FullAccess
            """));

        Assert.Equal(["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"], SingleRole(result).Policies.Select(p => p.Name));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Role", "Properties.ManagedPolicyArns[1]"), (warning.Resource, warning.Property));
        Assert.Equal("Cloister has no copy of AWS managed policy arn:aws:iam::aws:policy/AmazonEC2FullAccess; the role gets no permissions from it.", warning.Message);
        Assert.Equal(9, warning.Location?.Line);
    }

    [Fact]
    public void Roles_AwsManagedPolicyAtAnotherPath_WarningSaysWhereAwsKeepsIt()
    {
        var result = TestTemplates.LoadValid(Role("""
                  ManagedPolicyArns: [arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole]
            """));

        Assert.Empty(SingleRole(result).Policies);
        Assert.Contains("(AWS keeps a policy of that name at policy/service-role/AWSLambdaBasicExecutionRole)", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ManagedPolicyArns: [arn:aws:iam::210987654321:policy/TheirPolicy]", "Properties.ManagedPolicyArns[0]", "the role gets no permissions from it.")]
    [InlineData("PermissionsBoundary: arn:aws:iam::123456789012:policy/MadeByHand", "Properties.PermissionsBoundary", "the role's permissions are not bounded by it.")]
    public void Roles_CustomerManagedPolicyOutsideTheTemplates_WarnsAndGivesNothing(string property, string path, string consequence)
    {
        var result = TestTemplates.LoadValid(Role("      " + property));

        var role = SingleRole(result);
        Assert.Empty(role.Policies);
        Assert.Null(role.PermissionsBoundary);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(path, warning.Property);
        Assert.Contains("is not one of these templates", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith(consequence, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_PolicyNamingNoRoleOfTheTemplates_Warns()
    {
        var result = TestTemplates.LoadValid(Role("""
              Attached:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: attached
                  Roles: [!Ref Role, someone-elses-role]
                  PolicyDocument: { Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }] }
            """));

        Assert.Equal(["attached"], SingleRole(result).Policies.Select(p => p.Name));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Attached", "Properties.Roles[1]"), (warning.Resource, warning.Property));
        Assert.Contains("'someone-elses-role' is not a role of these templates", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_MalformedPolicyDocument_ErrorNamesResourcePropertyAndWhere()
    {
        var problem = TestTemplates.SingleProblem(Role("""
                  Policies:
                    - PolicyName: inline
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Permit
                            Action: dynamodb:GetItem
                            Resource: "*"
            """));

        Assert.Equal(("Role", "Properties.Policies[0].PolicyDocument"), (problem.Resource, problem.Property));
        Assert.StartsWith("MalformedPolicyDocument: Statement[0].Effect: ", problem.Message, StringComparison.Ordinal);
        Assert.Equal((12, 25), (problem.Location?.Line, problem.Location?.Column));
    }

    [Theory]
    [InlineData("AWS::IAM::ManagedPolicy", "ManagedPolicyName", "{ Version: '2012-10-17', Statement: [{ Effect: Allow, Action: s3:GetObject }] }", "Statement[0]: Policy statement must contain resources.")]
    [InlineData("AWS::IAM::ManagedPolicy", "ManagedPolicyName", "{ Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: '*' }] }", "Policy document must be version 2012-10-17 or greater.")]
    [InlineData("AWS::IAM::ManagedPolicy", "ManagedPolicyName", "{ Version: '2008-10-17', Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: '*' }] }", "Policy document must be version 2012-10-17 or greater.")]
    [InlineData("AWS::IAM::Policy", "PolicyName", "{ Statement: [{ Effect: Allow, Principal: '*', Action: s3:GetObject, Resource: '*' }] }", "Statement[0].Principal: Policy document should not specify a principal")]
    public void StandalonePolicy_MalformedDocument_ErrorNamesThePolicy(string type, string nameProperty, string document, string expected)
    {
        var problem = TestTemplates.SingleProblem(Role($$"""
              Bad:
                Type: {{type}}
                Properties:
                  {{nameProperty}}: bad
                  Roles: [!Ref Role]
                  PolicyDocument: {{document}}
            """));

        Assert.Equal(("Bad", "Properties.PolicyDocument"), (problem.Resource, problem.Property));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ManagedPolicyArns: [AmazonDynamoDBReadOnlyAccess]", "Properties.ManagedPolicyArns[0]", "'AmazonDynamoDBReadOnlyAccess' is not a managed policy ARN")]
    [InlineData("Policies: [{ PolicyName: nothing }]", "Properties.Policies[0].PolicyDocument", "is required.")]
    public void Roles_BadPolicyReference_IsAnError(string property, string path, string expected)
    {
        var problem = TestTemplates.SingleProblem(Role("      " + property));

        Assert.Equal(path, problem.Property);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamFunction_PolicyTemplateAndManagedPolicyName_RoleHoldsTheirDocumentsAndFunctionGetsItsArn()
    {
        var result = TestTemplates.LoadValid(TestTemplates.SamInlineFunction("""
                  Policies:
                    - DynamoDBCrudPolicy: { TableName: !Ref Claims }
                    - AWSLambdaVPCAccessExecutionRole
              Claims:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: claims
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
                  KeySchema: [{ AttributeName: id, KeyType: HASH }]
            """));

        var role = Assert.Single(result.Model.Roles);
        Assert.Equal("FnRole", role.LogicalId);
        Assert.Equal(
            ["FnRolePolicy0", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
            role.Policies.Select(p => p.Name));
        var crud = Cloister.Policy.Policy.Parse(role.Policies[0].Document, new PolicyParseOptions(PolicyKind.Identity));
        Assert.True(crud.IsValid, crud.ErrorMessage);
        Assert.Contains("\"dynamodb:PutItem\"", role.Policies[0].Document, StringComparison.Ordinal);
        Assert.Contains("\"arn:aws:dynamodb:eu-central-1:123456789012:table/claims/index/*\"", role.Policies[0].Document, StringComparison.Ordinal);
        Assert.Equal(AwsManagedPolicies.Find("service-role/AWSLambdaVPCAccessExecutionRole", "aws"), role.Policies[2].Document);
        Assert.Equal(role.Arn, Assert.Single(result.Model.Functions).RoleArn);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Roles_Tags_KeptForAwsPrincipalTag()
    {
        var role = SingleRole(TestTemplates.LoadValid(Role("""
                  Tags:
                    - { Key: Team, Value: payments }
                    - { Key: cost-center, Value: !Sub "${AWS::Region}-42" }
                    - { Key: team, Value: claims }
            """)));

        // A role's tag keys ignore case, as IAM's do: the second "team" replaces "Team".
        Assert.Equal(2, role.Tags.Count);
        Assert.Equal(("eu-central-1-42", "claims"), (role.Tags["cost-center"], role.Tags["TEAM"]));
    }

    [Fact]
    public void SamFunction_Tags_TheGeneratedRoleCarriesThemAndCreatedBySam()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: "exports.handler = async () => ({});", Tags: { team: claims } }
            """);

        var role = Assert.Single(result.Model.Roles);
        Assert.Equal("SAM", role.Tags["lambda:createdBy"]);
        Assert.Equal("claims", role.Tags["team"]);
    }

    [Fact]
    public void Function_RoleOutsideTheTemplates_KeepsTheArnAndWarns()
    {
        var result = TestTemplates.LoadValid(TestTemplates.OneResource("AWS::Lambda::Function", """
                  Runtime: nodejs20.x
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/made-by-hand
                  Code: { ZipFile: "exports.handler = async () => ({});" }
            """));

        Assert.Equal("arn:aws:iam::123456789012:role/made-by-hand", Assert.Single(result.Model.Functions).RoleArn);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Thing", "Properties.Role"), (warning.Resource, warning.Property));
    }

    private const string Table = """
              TableName: claims
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
              KeySchema: [{ AttributeName: id, KeyType: HASH }]
        """;

    [Fact]
    public void Table_ResourcePolicy_IsItsDocument()
    {
        var result = TestTemplates.LoadValid(TestTemplates.OneResource("AWS::DynamoDB::Table", Table + """

                  ResourcePolicy:
                    PolicyDocument:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Deny
                          Principal: "*"
                          Action: dynamodb:*
                          Resource: "*"
                          Condition: { StringNotEquals: { aws:SourceVpce: vpce-0123456789abcdef0 } }
            """));

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]}""",
            Assert.Single(result.Model.Tables).ResourcePolicy);
    }

    [Fact]
    public void Table_ResourcePolicyWithoutPrincipal_ErrorNamesTheProperty()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::DynamoDB::Table", Table + """

                  ResourcePolicy:
                    PolicyDocument: { Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: "*" }] }
            """));

        Assert.Equal(("Thing", "Properties.ResourcePolicy.PolicyDocument"), (problem.Resource, problem.Property));
        Assert.Contains("Principal", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_WithoutResourcePolicy_HasNone() =>
        Assert.Null(Assert.Single(TestTemplates.LoadValid(TestTemplates.OneResource("AWS::DynamoDB::Table", Table)).Model.Tables).ResourcePolicy);
}
