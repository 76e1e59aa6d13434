using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;
using Cloister.Templates.Specification;

namespace Cloister.Templates.Tests.Specification;

/// <summary>
/// A key a property type does not have, inside a resource's Properties (<c>AliasTarget.DNSNme</c>): CloudFormation
/// fails the stack ("Encountered unsupported property DNSNme", or the resource schema's "extraneous key"), SAM the
/// transform for an event's Properties. Cloister refuses it at the full path instead of ignoring what it does not read.
/// </summary>
public class NestedPropertiesTests
{
    private const string Zone = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
          Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref Vpc, VPCRegion: eu-central-1 }] } }
        """;

    /// <summary>A VPC and its security group Web, whose SecurityGroupIngress is <paramref name="ingress"/> (YAML list items), with a condition Never.</summary>
    private static string WebGroup(string ingress) => $$"""
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
          Web:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: web
              VpcId: !Ref Vpc
              SecurityGroupIngress:
        {{ingress}}
        """;

    [Fact]
    public void Load_AliasTargetMisspelledKey_UnsupportedAtTheFullPathWithTheOneMeant()
    {
        var result = TestTemplates.Load(Zone + """

              Alias:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: www.corp.internal
                  Type: A
                  AliasTarget:
                    DNSNme: internal-lb-1.eu-central-1.elb.amazonaws.com
                    HostedZoneId: Z215JYRZR1TBD5
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Alias", "Encountered unsupported property DNSNme. Did you mean 'DNSName'?"), (problem.Resource, problem.Message));
        Assert.Equal((11, 9), (problem.Location!.Line, problem.Location.Column));
        Assert.Equal("template.yaml:11:9: Alias.Properties.AliasTarget.DNSNme: Encountered unsupported property DNSNme. Did you mean 'DNSName'?", problem.ToString());
    }

    [Fact]
    public void Load_SecurityGroupIngressItemMisspelledKey_PathNamesTheItem()
    {
        var problem = TestTemplates.SingleProblem(WebGroup("""
                    - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8 }
                    - { IpProtocol: tcp, FromPrt: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
            """));

        Assert.Equal(
            ("Web", "Properties.SecurityGroupIngress[1].FromPrt", "Encountered unsupported property FromPrt. Did you mean 'FromPort'?"),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((12, 30), (problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void Load_DeeplyNestedMisspelledKey_EveryStepInThePath()
    {
        var result = TestTemplates.Load(Zone + """

              Records:
                Type: AWS::Route53::RecordSetGroup
                Properties:
                  HostedZoneId: !Ref Zone
                  RecordSets:
                    - { Name: www.corp.internal, Type: A, AliasTarget: { DNSName: internal-lb-1.eu-central-1.elb.amazonaws.com, HostedZoneId: Z215JYRZR1TBD5, EvaluateTargetHeath: true } }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(
            ("Records", "Properties.RecordSets[0].AliasTarget.EvaluateTargetHeath", "Encountered unsupported property EvaluateTargetHeath. Did you mean 'EvaluateTargetHealth'?"),
            (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_TagsListItemMisspelledKey_Unsupported()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::EC2::VPC", "      CidrBlock: 10.0.0.0/16\n      Tags: [{ Key: Name, Valu: main }]"));

        Assert.Equal(("Properties.Tags[0].Valu", "Encountered unsupported property Valu. Did you mean 'Value'?"), (problem.Property, problem.Message));
    }

    [Fact]
    public void Load_MapOfStructuresMisspelledKey_PathNamesTheMapKey()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Plan:
                Type: AWS::ApiGateway::UsagePlan
                Properties:
                  Throttle: { BurstLimit: 10, RateLimit: 5 }
                  ApiStages:
                    - ApiId: abcdef1234
                      Stage: prod
                      Throttle:
                        /claims/GET: { BurstLimt: 5, RateLimit: 2 }
            """);

        Assert.Equal(
            ("Properties.ApiStages[0].Throttle./claims/GET.BurstLimt", "Encountered unsupported property BurstLimt. Did you mean 'BurstLimit'?"),
            (problem.Property, problem.Message));
    }

    [Fact]
    public void Load_LambdaVpcConfigSubnetIDs_UnsupportedWithTheCaseMeant()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }
              Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: fn, VpcId: !Ref Vpc } }
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: nodejs20.x
                  Handler: index.handler
                  Role: !GetAtt Role.Arn
                  Code: { ZipFile: x }
                  VpcConfig: { SecurityGroupIds: [!Ref Group], SubnetIDs: [!Ref Subnet] }
            """);

        var problem = Assert.Single(result.Validation.Problems, p => p.Property.StartsWith("Properties.VpcConfig.", StringComparison.Ordinal));
        Assert.Equal(("Fn", "Properties.VpcConfig.SubnetIDs", "Encountered unsupported property SubnetIDs. Did you mean 'SubnetIds'?"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_SamFunctionVpcConfigSubnetIDs_RefusedOnTheFunctionAsCloudFormationDoes()
    {
        var result = TestTemplates.Load(TestTemplates.SamInlineFunction("""
                  VpcConfig:
                    SecurityGroupIds: [!Ref Group]
                    SubnetIDs: [!Ref Subnet]
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }
              Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: fn, VpcId: !Ref Vpc } }
            """));

        var problem = Assert.Single(result.Validation.Problems, p => p.Property.StartsWith("Properties.VpcConfig.", StringComparison.Ordinal));
        Assert.Equal(("Fn", "Properties.VpcConfig.SubnetIDs", "Encountered unsupported property SubnetIDs. Did you mean 'SubnetIds'?"), (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((11, 9), (problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void Load_SamApiMethodSettingsMisspelledKey_RefusedOnTheStageSamMakes()
    {
        var result = TestTemplates.Load(TestTemplates.SamApi("""
                  StageName: prod
                  MethodSettings: [{ ResourcePath: /*, HttpMethod: '*', ThrottlingBurstLimt: 5 }]
            """) + "\n  " + TestTemplates.SamFunction("Fn", restApiId: "Api"));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(
            ("ApiprodStage", "Properties.MethodSettings[0].ThrottlingBurstLimt", "Encountered unsupported property ThrottlingBurstLimt. Did you mean 'ThrottlingBurstLimit'?"),
            (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_SamApiEventMisspelledProperty_SamsWordsNamingTheEventResource()
    {
        var result = TestTemplates.Load(TestTemplates.SamInlineFunction("""
                  Events:
                    Api:
                      Type: Api
                      Properties: { Path: /items, Methd: get }
            """));

        var problem = Assert.Single(result.Validation.Problems, p => p.Message.Contains("not defined", StringComparison.Ordinal));
        Assert.Equal(
            ("Fn", "Properties.Events.Api.Properties.Methd", "Resource with id [FnApi] is invalid. property Methd not defined for resource of type Api. Did you mean 'Method'?"),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((12, 39), (problem.Location!.Line, problem.Location.Column));
    }

    [Theory]
    [InlineData("HttpApi", "{ Path: /items, Method: get, PayloadFormatVersio: '2.0' }", "PayloadFormatVersio", "PayloadFormatVersion")]
    [InlineData("Schedule", "{ Schedule: rate(1 minute), Enable: true }", "Enable", "Enabled")]
    public void Load_SamEventOfAnotherTypeMisspelledProperty_NotDefinedForItsType(string type, string properties, string written, string meant)
    {
        var result = TestTemplates.Load(TestTemplates.SamInlineFunction($"      Events: {{ Ev: {{ Type: {type}, Properties: {properties} }} }}"));

        var problem = Assert.Single(result.Validation.Problems, p => p.Message.Contains("not defined", StringComparison.Ordinal));
        Assert.Equal(
            ($"Properties.Events.Ev.Properties.{written}", $"Resource with id [FnEv] is invalid. property {written} not defined for resource of type {type}. Did you mean '{meant}'?"),
            (problem.Property, problem.Message));
    }

    /// <summary>Keys SAM's translator takes beyond the guide's lists, and event types with no list (not checked).</summary>
    [Theory]
    [InlineData("Api", "{ Path: /items, Method: get, Stage: prod, TimeoutInMillis: 5000 }")]
    [InlineData("HttpApi", "{ Path: /items, Method: get, Stage: prod }")]
    [InlineData("Schedule", "{ Schedule: rate(1 minute), RuleName: tick }")]
    [InlineData("SNS", "{ Topic: arn:aws:sns:eu-central-1:123456789012:t, Anything: 1 }")]
    [InlineData("SQS", "{ Queue: arn:aws:sqs:eu-central-1:123456789012:q, BatchSise: 5 }")]
    public void Load_SamEventKeySamTakesOrTypeWithoutAList_NotRefused(string type, string properties)
    {
        var result = TestTemplates.Load(TestTemplates.SamInlineFunction($"      Events: {{ Ev: {{ Type: {type}, Properties: {properties} }} }}"));

        Assert.DoesNotContain(result.Validation.Problems, p => p.Message.Contains("not defined", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_FreeFormValues_KeysInsideNotChecked()
    {
        var result = TestTemplates.Load(TestTemplates.SamInlineFunction("""
                  Environment: { Variables: { TABLE: !Ref Table, DNSNme: x, fromprt: y } }
                  Policies:
                    - Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn, Condition: { StringEquals: { aws:SourceVpc: vpc-1 } } }]
                  Tags: { Team: claims }
              Table: { Type: AWS::DynamoDB::Table, Properties: { KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], BillingMode: PAY_PER_REQUEST } }
              Name:
                Type: AWS::SSM::Parameter
                Properties: { Type: String, Value: x, Tags: { team: claims, CostCentre: '42' } }
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: p, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 's3:*', Resource: '*' }] } }]
            """));

        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Fact]
    public void Load_StructureChosenByFnIf_BothChoicesChecked()
    {
        var problem = TestTemplates.SingleProblem(WebGroup("""
                    - !If [Never, { IpProtocol: tcp, FromPrt: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }, !Ref AWS::NoValue]
                    - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8 }
            """));

        Assert.Equal(("Web", "Properties.SecurityGroupIngress[0].FromPrt"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_StructuresGivenByFunctionsOrLeftOut_NoProblem()
    {
        var result = TestTemplates.Load(WebGroup("""
                    - !If [Never, !Ref AWS::NoValue, { IpProtocol: !FindInMap [Rules, web, Protocol], FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }]
                    - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8, Description: !Sub '${AWS::Region} web' }
              Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, Tags: !If [Never, [{ Key: Name, Value: a }], !Ref AWS::NoValue] } }
            Mappings:
              Rules: { web: { Protocol: tcp } }
            """));

        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Fact]
    public void Load_NestedKeyInResourceLeftOutByItsCondition_StillChecked()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Spare: { Type: AWS::EC2::VPC, Condition: Never, Properties: { CidrBlock: 10.1.0.0/16, Tags: [{ Key: Name, value: spare }] } }
            """);

        Assert.Equal(("Spare", "Properties.Tags[0].value"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_PropertiesChosenByFnIf_NestedKeysOfTheChosenMapChecked()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              Always: !Equals [a, a]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: !If [Always, { CidrBlock: 10.0.0.0/16, Tags: [{ Key: Name, Valu: a }] }, { CidrBlock: 10.1.0.0/16 }]
            """);

        Assert.Equal(("Vpc", "Properties.Tags[0].Valu"), (problem.Resource, problem.Property));
    }

    [Theory]
    [InlineData("AWS::Route53::RecordSet", "AliasTarget", "DNSName")]
    [InlineData("AWS::EC2::SecurityGroup", "SecurityGroupIngress", "FromPort")]
    [InlineData("AWS::ApiGateway::UsagePlan", "ApiStages", "Throttle")]
    public void Unknown_KnownNestedKey_NothingReported(string type, string property, string key)
    {
        var value = property == "SecurityGroupIngress" || property == "ApiStages"
            ? $"{property}: [{{ {key}: 1 }}]"
            : $"{property}: {{ {key}: x }}";
        var properties = (MapNode)TemplateReader.Read("t.yaml", value, new ProblemCollector())!;

        Assert.Empty(ResourceProperties.Unknown(type, properties));
    }

    [Theory]
    [InlineData("AliasTarget", "AliasTarget", "Object")]
    [InlineData("[Ingress]", "Ingress", "List")]
    [InlineData("{ThrottleSettings}", "ThrottleSettings", "Map")]
    public void Parse_WrittenShape_TypeAndKind(string written, string type, string kind) =>
        Assert.Equal(new PropertyShape(type, Enum.Parse<PropertyShapeKind>(kind)), PropertyShape.Parse(written));
}
