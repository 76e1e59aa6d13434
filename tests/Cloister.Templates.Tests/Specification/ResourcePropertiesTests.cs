using Cloister.Templates.Evaluation;
using Cloister.Templates.Mapping;
using Cloister.Templates.Specification;

namespace Cloister.Templates.Tests.Specification;

/// <summary>
/// A property its type does not have: CloudFormation fails the stack ("Encountered unsupported property"), SAM the
/// transform ("property X not defined for resource of type"). Cloister refuses it too, instead of ignoring what it does
/// not read.
/// </summary>
public class ResourcePropertiesTests
{
    [Theory]
    [InlineData("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\n      EnableDnsHostname: true", "EnableDnsHostname", "EnableDnsHostnames")]
    [InlineData("AWS::EC2::SecurityGroup", "GroupDescription: web\n      SecurityGroupIngres: []", "SecurityGroupIngres", "SecurityGroupIngress")]
    [InlineData("AWS::EC2::VPC", "CidrBlock: 10.0.0.0/16\n      enableDnsSupport: true", "enableDnsSupport", "EnableDnsSupport")]
    public void Load_MisspelledOptionalProperty_UnsupportedAtTheKeyWithTheOneMeant(string type, string properties, string written, string meant)
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource(type, "      " + properties));

        Assert.Equal(
            ("Thing", $"Properties.{written}", $"Encountered unsupported property {written}. Did you mean '{meant}'?"),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((6, 7), (problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void Load_VpcEndpointPrivateDnsEnable_RefusedInsteadOfAnEndpointWithoutPrivateDns()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }
              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: !Ref Vpc
                  ServiceName: com.amazonaws.eu-central-1.execute-api
                  VpcEndpointType: Interface
                  SubnetIds: [!Ref Subnet]
                  PrivateDnsEnable: true
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(
            ("Endpoint", "Properties.PrivateDnsEnable", "Encountered unsupported property PrivateDnsEnable. Did you mean 'PrivateDnsEnabled'?"),
            (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_UnknownPropertyNothingLike_UnsupportedWithoutSuggestion()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::EC2::VPC", "      CidrBlock: 10.0.0.0/16\n      Colour: blue"));

        Assert.Equal(("Properties.Colour", "Encountered unsupported property Colour."), (problem.Property, problem.Message));
    }

    [Fact]
    public void Load_ResourceAttributeWrittenAsProperty_Unsupported()
    {
        var result = TestTemplates.Load("""
            Resources:
              Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Vpc:
                Type: AWS::EC2::VPC
                Metadata: { Owner: network }
                DependsOn: Other
                Properties:
                  CidrBlock: 10.0.0.0/16
                  DependsOn: Other
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Vpc", "Properties.DependsOn", "Encountered unsupported property DependsOn."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_EveryPropertyOfTheTypeAndIntrinsics_NoProblem()
    {
        var result = TestTemplates.Load("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
                  EnableDnsHostnames: true
                  EnableDnsSupport: !If [Never, false, true]
                  InstanceTenancy: default
                  Tags: [{ Key: Name, Value: main }]
                  Ipv4NetmaskLength: !Ref AWS::NoValue
            """);

        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Fact]
    public void Load_PropertiesChosenByFnIf_TheChosenMapChecked()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              Always: !Equals [a, a]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: !If [Always, { CidrBlock: 10.0.0.0/16, EnableDnsHostname: true }, { CidrBlock: 10.1.0.0/16 }]
            """);

        Assert.Equal(("Vpc", "Properties.EnableDnsHostname"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_ResourceLeftOutByItsCondition_PropertyNamesStillChecked()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Spare: { Type: AWS::EC2::VPC, Condition: Never, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsHostname: true } }
            """);

        Assert.Equal(("Spare", "Properties.EnableDnsHostname"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_PropertyRemovedByNoValue_NameStillChecked()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::EC2::VPC", "      CidrBlock: 10.0.0.0/16\n      EnableDnsHostname: !Ref AWS::NoValue"));

        Assert.Equal("Encountered unsupported property EnableDnsHostname. Did you mean 'EnableDnsHostnames'?", problem.Message);
    }

    [Fact]
    public void Load_UnsupportedTypeIgnored_PropertiesNotChecked()
    {
        var result = TestTemplates.Load(
            """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              Queue: { Type: AWS::SQS::Queue, Properties: { QueueNme: q } }
            """,
            ignoreUnsupported: true);

        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Fact]
    public void Load_SamFunctionMisspelledProperty_SamsWordsAtTheKey()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.SamInlineFunction("""
                  Enviroment: { Variables: { A: b } }
            """));

        Assert.Equal(
            ("Fn", "Properties.Enviroment", "Resource with id [Fn] is invalid. property Enviroment not defined for resource of type AWS::Serverless::Function. Did you mean 'Environment'?"),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((9, 7), (problem.Location!.Line, problem.Location.Column));
    }

    [Theory]
    [InlineData("AWS::Serverless::Api", "StageName: dev\n      BinaryMediaType: [image/png]", "BinaryMediaType", "BinaryMediaTypes")]
    [InlineData("AWS::Serverless::SimpleTable", "TableNme: t", "TableNme", "TableName")]
    [InlineData("AWS::Serverless::LayerVersion", "ContentUri: .\n      CompatibleRuntime: [nodejs20.x]", "CompatibleRuntime", "CompatibleRuntimes")]
    public void Load_SamResourceMisspelledProperty_NotDefinedForTheType(string type, string properties, string written, string meant)
    {
        var problem = TestTemplates.SingleProblem("Transform: AWS::Serverless-2016-10-31\n" + TestTemplates.OneResource(type, "      " + properties));

        Assert.Equal(
            $"Resource with id [Thing] is invalid. property {written} not defined for resource of type {type}. Did you mean '{meant}'?",
            problem.Message);
        Assert.Equal($"Properties.{written}", problem.Property);
    }

    [Fact]
    public void Load_SamFunctionPropertySamDefinesButCloisterDoesNotExpand_NotSupportedRatherThanUndefined()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.SamInlineFunction("""
                  LoggingConfig: { LogFormat: JSON }
                  RuntimeManagementConfig: { UpdateRuntimeOn: Auto }
                  RecursiveLoop: Terminate
            """));

        Assert.Equal(("Properties.RecursiveLoop", "Cloister does not support RecursiveLoop on functions yet."), (problem.Property, problem.Message));
    }

    [Fact]
    public void Load_SamFunctionManagedPolicyArns_NotDefinedAsSamRefusesIt()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x, ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess] }
            """);

        Assert.Equal(
            "Resource with id [Fn] is invalid. property ManagedPolicyArns not defined for resource of type AWS::Serverless::Function.",
            problem.Message);
    }

    [Fact]
    public void TypeNames_EveryCatalogTypeOfAws_HasItsProperties()
    {
        var missing = ResourceCatalog.Names.Where(t => t.StartsWith("AWS::", StringComparison.Ordinal) && ResourceProperties.Of(t) is null);

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("AWS::Serverless::Function", "CodeUri")]
    [InlineData("AWS::Serverless::Api", "DefinitionBody")]
    [InlineData("AWS::Serverless::SimpleTable", "PrimaryKey")]
    [InlineData("AWS::Serverless::LayerVersion", "ContentUri")]
    [InlineData("AWS::ApiGateway::DomainNameV2", "EndpointAccessMode")]
    [InlineData("AWS::Lambda::Function", "LoggingConfig")]
    public void Of_TypeCloisterMaps_ListsItsProperty(string type, string property) =>
        Assert.True(ResourceProperties.Of(type)!.Contains(property), $"{type} lists no {property}");

    [Theory]
    [InlineData("EnableDnsHostname", "EnableDnsHostnames")]
    [InlineData("enabledNSsupport", "EnableDnsSupport")]
    [InlineData("Tag", null)]
    [InlineData("Colour", null)]
    public void Closest_WrittenKey_NearestAcceptedOrNone(string written, string? expected) =>
        Assert.Equal(expected, Misspelling.Closest(["CidrBlock", "EnableDnsHostnames", "EnableDnsSupport", "Tags"], written));
}
