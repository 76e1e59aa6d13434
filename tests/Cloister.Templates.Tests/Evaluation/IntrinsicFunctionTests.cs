namespace Cloister.Templates.Tests.Evaluation;

/// <summary>Each intrinsic function, checked through an output value so the whole pipeline is exercised.</summary>
public class IntrinsicFunctionTests
{
    private const string LanguageExtensions = "Transform: AWS::LanguageExtensions";

    private static string Output(string value, string extra = "", string transform = "")
    {
        var text = $$"""
            {{transform}}
            Parameters:
              Names: { Type: CommaDelimitedList, Default: "a,b,c" }
              Env: { Type: String, Default: prod }
            Mappings:
              Sizes:
                prod: { Memory: "512", Zones: [x, y] }
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: 10.1.0.0/16 }
            {{extra}}
            Outputs:
              Out:
                Value: {{value}}
            """;
        var result = TestTemplates.LoadValid(text);
        return Assert.Single(result.Stacks).Outputs.Single().OutputValue;
    }

    [Fact]
    public void Ref_Parameter_GivesItsValue() => Assert.Equal("prod", Output("!Ref Env"));

    [Fact]
    public void Ref_ListParameter_GivesTheList() => Assert.Equal("a,b,c", Output("!Ref Names"));

    [Fact]
    public void Ref_Resource_GivesPhysicalId() => Assert.Matches("^vpc-[0-9a-f]{17}$", Output("!Ref Vpc"));

    [Theory]
    [InlineData("AWS::Region", "eu-central-1")]
    [InlineData("AWS::AccountId", "123456789012")]
    [InlineData("AWS::Partition", "aws")]
    [InlineData("AWS::URLSuffix", "amazonaws.com")]
    [InlineData("AWS::StackName", "template")]
    [InlineData("AWS::NotificationARNs", "")]
    public void Ref_PseudoParameter_GivesContextValue(string name, string expected) => Assert.Equal(expected, Output($"!Ref {name}"));

    [Fact]
    public void Ref_StackId_IsCloudFormationArn() =>
        Assert.Matches("^arn:aws:cloudformation:eu-central-1:123456789012:stack/template/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", Output("!Ref AWS::StackId"));

    [Fact]
    public void GetAtt_DottedAndListForms_GiveSameAttribute()
    {
        Assert.Equal("10.1.0.0/16", Output("!GetAtt Vpc.CidrBlock"));
        Assert.Equal("10.1.0.0/16", Output("!GetAtt [Vpc, CidrBlock]"));
        Assert.Equal("10.1.0.0/16", Output("{ \"Fn::GetAtt\": [Vpc, !Sub CidrBlock] }"));
    }

    [Fact]
    public void Sub_StringForm_ResolvesRefsAttributesAndPseudoParameters() =>
        Assert.Equal("prod-eu-central-1-10.1.0.0/16-${Literal}", Output("!Sub \"${Env}-${AWS::Region}-${Vpc.CidrBlock}-${!Literal}\""));

    [Fact]
    public void Sub_ListForm_UsesVariablesFirst() =>
        Assert.Equal("x is 42, env prod", Output("!Sub [\"x is ${X}, env ${Env}\", { X: \"42\" }]"));

    [Fact]
    public void Join_List_JoinsWithDelimiter() => Assert.Equal("a-b-prod", Output("!Join [\"-\", [a, b, !Ref Env]]"));

    [Fact]
    public void Select_Index_PicksElement() => Assert.Equal("b", Output("!Select [1, !Ref Names]"));

    [Fact]
    public void Split_Delimiter_MakesList() => Assert.Equal("q", Output("!Select [2, !Split [\"/\", \"o/p/q\"]]"));

    [Fact]
    public void If_TrueCondition_TakesFirstBranch() => Assert.Equal("big", Output("!If [IsProd, big, small]"));

    [Fact]
    public void FindInMap_Keys_GiveValue() => Assert.Equal("512", Output("!FindInMap [Sizes, !Ref Env, Memory]"));

    [Fact]
    public void FindInMap_ListValue_GivesList() => Assert.Equal("y", Output("!Select [1, !FindInMap [Sizes, prod, Zones]]"));

    [Fact]
    public void GetAZs_EmptyRegion_GivesThreeZonesOfStackRegion() =>
        Assert.Equal("eu-central-1a,eu-central-1b,eu-central-1c", Output("!GetAZs \"\""));

    [Fact]
    public void Base64_Text_EncodesUtf8() => Assert.Equal("aGVsbG8=", Output("!Base64 hello"));

    [Fact]
    public void Cidr_Block_SplitsIntoSubnets() =>
        Assert.Equal("10.1.0.0/24,10.1.1.0/24,10.1.2.0/24", Output("!Join [\",\", !Cidr [!GetAtt Vpc.CidrBlock, 3, 8]]"));

    [Fact]
    public void NoValue_InIf_RemovesProperty()
    {
        var result = TestTemplates.LoadValid("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.1.0.0/16
                  EnableDnsHostnames: !If [Never, true, !Ref AWS::NoValue]
            """);
        Assert.False(result.Model.Vpcs.Single().EnableDnsHostnames);
        Assert.DoesNotContain("EnableDnsHostnames", result.Stacks.Single().Resources.Single().PropertiesJson, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportValue_ExportOfEarlierStack_ResolvesAcrossStacks()
    {
        var network = """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
            Outputs:
              VpcId:
                Value: !Ref Vpc
                Export: { Name: shared-vpc }
            """;
        var app = """
            Resources:
              Subnet:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !ImportValue shared-vpc, CidrBlock: 10.5.1.0/24 }
            """;
        var result = TemplateLoader.Load([new TemplateFile("network.yaml") { Text = network }, new TemplateFile("app.yaml") { Text = app }], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Equal(result.Model.Vpcs.Single().Id, result.Model.Subnets.Single().VpcId);
        Assert.Equal(["network", "app"], result.Stacks.Select(s => s.StackName));
    }

    [Fact]
    public void ImportValue_UnknownExport_IsProblemNamingIt()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Subnet:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !ImportValue missing-export, CidrBlock: 10.5.1.0/24 }
            """);
        Assert.Equal("Subnet", problem.Resource);
        Assert.Equal("Properties.VpcId", problem.Property);
        Assert.Contains("missing-export", problem.Message, StringComparison.Ordinal);
        Assert.Equal(4, problem.Location!.Line);
    }

    [Fact]
    public void Export_SameNameTwice_IsProblem()
    {
        var template = """
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
            Outputs:
              VpcId: { Value: !Ref Vpc, Export: { Name: dup } }
            """;
        var result = TemplateLoader.Load([new TemplateFile("a.yaml") { Text = template }, new TemplateFile("b.yaml") { Text = template.Replace("10.5", "10.6", StringComparison.Ordinal) }], TestTemplates.Options());
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Contains("already exported by stack 'a'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"Fn::Length\": [a, b, c, d] }", "4")]
    [InlineData("{ \"Fn::Length\": !Ref Names }", "3")]
    [InlineData("{ \"Fn::Length\": !Split [\",\", \"x,y\"] }", "2")]
    [InlineData("{ \"Fn::ToJsonString\": { Env: !Ref Env, Zones: !FindInMap [Sizes, prod, Zones], N: 3 } }", "{\"Env\":\"prod\",\"Zones\":[\"x\",\"y\"],\"N\":3}")]
    [InlineData("!FindInMap [Sizes, test, Memory, { DefaultValue: \"128\" }]", "128")]
    [InlineData("!FindInMap [Sizes, prod, Memory, { DefaultValue: \"128\" }]", "512")]
    public void LanguageExtensions_Functions_GiveCloudFormationsValues(string value, string expected) =>
        Assert.Equal(expected, Output(value, transform: LanguageExtensions));

    [Theory]
    [InlineData("{ \"Fn::Length\": [a] }", "Fn::Length needs 'Transform: AWS::LanguageExtensions'")]
    [InlineData("!FindInMap [Sizes, test, Memory, { DefaultValue: x }]", "Fn::FindInMap DefaultValue needs 'Transform: AWS::LanguageExtensions'")]
    public void LanguageExtensions_FunctionsWithoutTheTransform_AreProblems(string value, string message)
    {
        var result = TestTemplates.Load($$"""
            Mappings:
              Sizes:
                prod: { Memory: "512" }
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Out:
                Value: {{value}}
            """);

        Assert.Contains(result.Validation.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void ForEach_ResourcesConditionsAndOutputs_OneCopyPerValue()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::LanguageExtensions
            Parameters:
              Envs: { Type: CommaDelimitedList, Default: "dev,prod-eu" }
            Conditions:
              Fn::ForEach::Flags:
                - Env
                - !Ref Envs
                - "Is&{Env}": !Equals [!Ref Env, prod-eu]
            Resources:
              Fn::ForEach::Tables:
                - Env
                - !Ref Envs
                - "Table&{Env}":
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Sub "claims-${Env}"
                      AttributeDefinitions: [{ AttributeName: PK, AttributeType: S }]
                      KeySchema: [{ AttributeName: PK, KeyType: HASH }]
                      BillingMode: PAY_PER_REQUEST
                      Tags: [{ Key: env, Value: !Ref Env }]
            Outputs:
              Fn::ForEach::Names:
                - Env
                - [dev, prod-eu]
                - "Name&{Env}":
                    Value: !If ["Is&{Env}", !Ref "Table&{Env}", none]
            """);

        var stack = Assert.Single(result.Stacks);
        Assert.Equal(["claims-dev", "claims-prod-eu"], result.Model.Tables.Select(t => t.TableName).Order(StringComparer.Ordinal));
        Assert.Equal(["Namedev:none", "Nameprodeu:claims-prod-eu"], stack.Outputs.Select(o => $"{o.OutputKey}:{o.OutputValue}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForEach_Nested_MakesEveryCombination()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::LanguageExtensions
            Resources:
              Fn::ForEach::Vpcs:
                - Net
                - ["1", "2"]
                - Fn::ForEach::Subnets:
                    - Zone
                    - [a, b]
                    - "Subnet${Net}${Zone}":
                        Type: AWS::EC2::VPC
                        Properties: { CidrBlock: !Sub "10.${Net}.0.0/16", Tags: [{ Key: zone, Value: !Ref Zone }] }
            """);

        Assert.Equal(["10.1.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.2.0.0/16"], result.Model.Vpcs.Select(v => v.CidrBlock).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Transform: AWS::LanguageExtensions", "- Name\n    - 42\n    - { \"Vpc${Name}\": { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } } }", "collection must be a list")]
    [InlineData("Transform: AWS::LanguageExtensions", "- Name\n    - [A, B]\n    - { Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } } }", "must use ${Name}")]
    [InlineData("", "- Name\n    - [A, B]\n    - { \"Vpc${Name}\": { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } } }", "needs 'Transform: AWS::LanguageExtensions'")]
    public void ForEach_Malformed_IsAProblemAtItsKey(string transform, string loop, string message)
    {
        var result = TestTemplates.Load($$"""
            {{transform}}
            Resources:
              Fn::ForEach::Vpcs:
                {{loop}}
            """);

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Fn::ForEach::Vpcs");
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForEach_MakingAResourceTheTemplateHas_IsAProblemAtItsKey()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::LanguageExtensions
            Resources:
              VpcA: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Fn::ForEach::Vpcs:
                - Name
                - [A, B]
                - "Vpc${Name}": { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.2.0.0/16 } }
            """);

        Assert.Equal(("Fn::ForEach::Vpcs", "Fn::ForEach::Vpcs makes the key 'VpcA', which Resources already has."), (problem.Resource, problem.Message));
    }
}
