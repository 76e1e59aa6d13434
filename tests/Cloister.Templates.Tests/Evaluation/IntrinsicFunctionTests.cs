using Cloister.Model.Compute;

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
    public void Select_IndexOutsideTheList_IsCloudFormationsTemplateError()
    {
        // The error users meet most with Fn::Select: !Select [3, !GetAZs ""] in a region of three zones.
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: !Select [3, !GetAZs ""] } }
            """);

        Assert.Equal(("Log", "Properties.LogGroupName"), (problem.Resource, problem.Property));
        Assert.Equal("Template error: Fn::Select cannot select nonexistent value at index 3", problem.Message);
    }

    [Fact]
    public void Split_Delimiter_MakesList() => Assert.Equal("q", Output("!Select [2, !Split [\"/\", \"o/p/q\"]]"));

    [Fact]
    public void If_TrueCondition_TakesFirstBranch() => Assert.Equal("big", Output("!If [IsProd, big, small]"));

    [Fact]
    public void FindInMap_Keys_GiveValue() => Assert.Equal("512", Output("!FindInMap [Sizes, !Ref Env, Memory]"));

    [Fact]
    public void FindInMap_ListValue_GivesList() => Assert.Equal("y", Output("!Select [1, !FindInMap [Sizes, prod, Zones]]"));

    [Fact]
    public void GetAZs_EmptyRegion_GivesTheZonesOfTheStackRegion() =>
        Assert.Equal("eu-central-1a,eu-central-1b,eu-central-1c", Output("!GetAZs \"\""));

    [Theory]
    [InlineData("us-east-1", "us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1e,us-east-1f")]
    [InlineData("us-west-2", "us-west-2a,us-west-2b,us-west-2c,us-west-2d")]
    [InlineData("us-west-1", "us-west-1b,us-west-1c")]
    [InlineData("ap-northeast-1", "ap-northeast-1a,ap-northeast-1c,ap-northeast-1d")]
    [InlineData("ca-central-1", "ca-central-1a,ca-central-1b,ca-central-1d")]
    [InlineData("ap-northeast-2", "ap-northeast-2a,ap-northeast-2b,ap-northeast-2c,ap-northeast-2d")]
    [InlineData("eu-west-1", "eu-west-1a,eu-west-1b,eu-west-1c")]
    [InlineData("xx-nowhere-9", "xx-nowhere-9a,xx-nowhere-9b,xx-nowhere-9c")]
    public void GetAZs_RegionGiven_GivesThatRegionsZones(string region, string zones) =>
        Assert.Equal(zones, Output($"!GetAZs {region}"));

    [Fact]
    public void GetAZs_InUsEast1_SelectsTheSixthZone() =>
        Assert.Equal("us-east-1f", Output("!Select [5, !GetAZs us-east-1]"));

    [Fact]
    public void Base64_Text_EncodesUtf8() => Assert.Equal("aGVsbG8=", Output("!Base64 hello"));

    [Fact]
    public void Cidr_Block_SplitsIntoSubnets() =>
        Assert.Equal("10.1.0.0/24,10.1.1.0/24,10.1.2.0/24", Output("!Join [\",\", !Cidr [!GetAtt Vpc.CidrBlock, 3, 8]]"));

    [Theory]
    [InlineData("2001:db8::/56", 2, 64, "2001:db8::/64,2001:db8:0:1::/64")]
    [InlineData("2001:db8:0:ff00::/56", 1, 72, "2001:db8:0:ff00::/56")]
    [InlineData("fd00::/8", 2, 112, "fd00::/16,fd01::/16")]
    public void Cidr_Ipv6Block_SplitsWithCidrBitsTakenFrom128(string block, int count, int bits, string expected) =>
        Assert.Equal(expected, Output($"!Join [\",\", !Cidr [\"{block}\", {count}, {bits}]]"));

    [Fact]
    public void Cidr_MoreIpv6BlocksThanFit_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Out: { Value: !Cidr ["2001:db8::/62", 5, 64] }
            """);
        Assert.Equal(("Out", "Value"), (problem.Resource, problem.Property));
        Assert.Contains("holds only 4 blocks of /64, not 5", problem.Message, StringComparison.Ordinal);
    }

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
        Assert.StartsWith("No export named missing-export found.", problem.Message, StringComparison.Ordinal);
        Assert.Equal(4, problem.Location!.Line);
    }

    [Theory]
    [InlineData("!Ref Vpc")]
    [InlineData("!Sub \"${Vpc}-id\"")]
    [InlineData("!Sub [\"${Id}-id\", { Id: !GetAtt Vpc.CidrBlock }]")]
    [InlineData("!Join [\"-\", [!Select [0, !GetAZs \"\"], id]]")]
    [InlineData("!ImportValue shared-name")]
    public void ImportValue_NameDependsOnResourceImportOrGetAzs_IsCloudFormationsRefusal(string name)
    {
        // CloudFormation resolves import names before it creates anything, so it refuses one it could not know then,
        // even where an export of that name exists (here: every name the import could resolve to is exported).
        var exports = """
            Resources:
              Log: { Type: AWS::Logs::LogGroup }
            Outputs:
              A: { Value: x, Export: { Name: shared-name } }
              B: { Value: x, Export: { Name: eu-central-1a-id } }
            """;
        var app = $$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
              Group: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: { "Fn::ImportValue": {{name}} } } }
            """;
        var result = TemplateLoader.Load([new TemplateFile("exports.yaml") { Text = exports }, new TemplateFile("app.yaml") { Text = app }], TestTemplates.Options());

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Group", "Properties.LogGroupName"), (problem.Resource, problem.Property));
        Assert.Equal("Template error: the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs", problem.Message);
    }

    [Theory]
    [InlineData("stack_vpc")]
    [InlineData("stack vpc")]
    [InlineData("stack/vpc")]
    [InlineData("''")]
    public void Export_NameOutsideLettersDigitsColonsHyphens_IsCloudFormationsError(string name)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
            Outputs:
              VpcId: { Value: !Ref Vpc, Export: { Name: {{name}} } }
            """);

        Assert.Equal(("VpcId", "Export.Name", 4), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", problem.Message);
    }

    [Fact]
    public void Export_NameWithColonsAndHyphens_IsExported() =>
        Assert.Equal("app:Vpc-Id", Assert.Single(TestTemplates.LoadValid("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.5.0.0/16 } }
            Outputs:
              VpcId: { Value: !Ref Vpc, Export: { Name: "app:Vpc-Id" } }
            """).Stacks.Single().Outputs).ExportName);

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
        Assert.Contains("Export with name dup is already exported by stack a", problem.Message, StringComparison.Ordinal);
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
    public void ForEach_InPropertiesMap_MakesOneKeyPerValueBesideTheWrittenOnes()
    {
        var result = TestTemplates.LoadValid(FunctionWithVariables("""
            STAGE: prod
            Fn::ForEach::Queues:
              - Queue
              - [Orders, Refunds]
              - "QUEUE_${Queue}": !Ref Queue
                "QUEUE_${Queue}_URL": !Sub "https://queues.example/${Queue}"
            """));

        Assert.Equal(
            ["QUEUE_Orders=Orders", "QUEUE_Orders_URL=https://queues.example/Orders", "QUEUE_Refunds=Refunds", "QUEUE_Refunds_URL=https://queues.example/Refunds", "STAGE=prod"],
            Variables(Assert.Single(result.Model.Functions)));
    }

    [Fact]
    public void ForEach_InPropertiesWithNonAlphanumericValues_AmpersandKeepsLettersAndDigits()
    {
        var result = TestTemplates.LoadValid(FunctionWithVariables("Fn::ForEach::Hosts: [Host, [db-main.internal, cache_1.internal], { \"HOST_&{Host}\": !Ref Host }]"));

        Assert.Equal(["HOST_cache1internal=cache_1.internal", "HOST_dbmaininternal=db-main.internal"], Variables(Assert.Single(result.Model.Functions)));
    }

    [Fact]
    public void ForEach_AtTheTopOfProperties_SetsEachPropertyFromAMapping()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::LanguageExtensions
            Mappings:
              Claims:
                Settings: { TableName: claims-table, BillingMode: PAY_PER_REQUEST }
            Resources:
              Claims:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions: [{ AttributeName: PK, AttributeType: S }]
                  KeySchema: [{ AttributeName: PK, KeyType: HASH }]
                  Fn::ForEach::Settings:
                    - Property
                    - [TableName, BillingMode]
                    - "${Property}": !FindInMap [Claims, Settings, !Ref Property]
            """);

        var table = Assert.Single(result.Model.Tables);
        Assert.Equal(("claims-table", "PAY_PER_REQUEST"), (table.TableName, table.BillingMode));
    }

    [Fact]
    public void ForEach_InPropertiesOfAResourceLoopInJson_MakesEveryCombination()
    {
        var result = TestTemplates.LoadValid("""
            {
              "Transform": "AWS::LanguageExtensions",
              "Resources": {
                "Fn::ForEach::Workers": ["Env", ["dev", "prod"], {
                  "Worker${Env}": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {
                      "FunctionName": { "Fn::Sub": "worker-${Env}" },
                      "Runtime": "python3.12", "Handler": "index.handler", "Code": { "ZipFile": "x" }, "Role": "arn:aws:iam::123456789012:role/r",
                      "Environment": { "Variables": {
                        "Fn::ForEach::Flags": ["Flag", ["A", "B"], { "FLAG_${Flag}": { "Fn::Sub": "${Env}-${Flag}" } }]
                      } }
                    }
                  }
                }]
              }
            }
            """);

        Assert.Equal(
            ["worker-dev:FLAG_A=dev-A,FLAG_B=dev-B", "worker-prod:FLAG_A=prod-A,FLAG_B=prod-B"],
            result.Model.Functions.Select(f => f.FunctionName + ":" + string.Join(',', Variables(f))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForEach_InServerlessFunctionProperties_ExpandsBeforeTheSamTransform()
    {
        var result = TestTemplates.LoadValid("""
            Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
            Parameters:
              Regions: { Type: CommaDelimitedList, Default: "eu-central-1,us-east-1" }
            Resources:
              Api:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Handler: index.handler
                  Runtime: nodejs22.x
                  Environment:
                    Variables:
                      Fn::ForEach::Regions:
                        - Region
                        - !Ref Regions
                        - "ENDPOINT_&{Region}": !Sub "https://api.${Region}.example"
            """);

        Assert.Equal(
            ["ENDPOINT_eucentral1=https://api.eu-central-1.example", "ENDPOINT_useast1=https://api.us-east-1.example"],
            Variables(Assert.Single(result.Model.Functions)));
    }

    [Theory]
    [InlineData("A: written\nFn::ForEach::Vars: [Name, [A, B], { \"${Name}\": made }]", "Fn::ForEach::Vars makes the key 'A', which Properties.Environment.Variables already has.")]
    [InlineData("Fn::ForEach::Vars: [Name, [a-b, ab], { \"V&{Name}\": made }]", "Fn::ForEach::Vars makes the key 'Vab', which Properties.Environment.Variables already has.")]
    public void ForEach_InPropertiesMakingAKeyTwice_IsAProblemNamingResourceAndPath(string variables, string message)
    {
        var problem = TestTemplates.SingleProblem(FunctionWithVariables(variables));

        Assert.Equal(("Worker", "Properties.Environment.Variables.Fn::ForEach::Vars", message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("Fn::ForEach::Vars: [Name, 42, { \"V${Name}\": x }]", "The Fn::ForEach collection must be a list of strings or a Ref to a list parameter.")]
    [InlineData("Fn::ForEach::Vars: [Name, [A, B], { V: x }]", "Each OutputKey of Fn::ForEach must use ${Name} or &{Name}, so that every copy has its own key in Properties.Environment.Variables.")]
    [InlineData("Fn::ForEach::Vars: [Name, [A, B], [x]]", "Fn::ForEach needs [ Identifier, Collection, { OutputKey: OutputValue } ].")]
    public void ForEach_InPropertiesMalformed_IsAProblemNamingResourceAndPath(string variables, string message)
    {
        var problem = TestTemplates.SingleProblem(FunctionWithVariables(variables));

        Assert.Equal("Worker", problem.Resource);
        Assert.StartsWith("Properties.Environment.Variables.Fn::ForEach::", problem.Property, StringComparison.Ordinal);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("Fn::ForEach::Vars: [Stage, [A, B], { \"V${Stage}\": x }]", "Fn::ForEach::Vars", 31, "The Fn::ForEach identifier 'Stage' is also a parameter; give the loop another identifier.")]
    [InlineData("Fn::ForEach::Vars: [Name, [A], { \"Fn::ForEach::Inner\": [Name, [B], { \"V${Name}\": x }] }]", "Fn::ForEach::Inner", 67, "The Fn::ForEach identifier 'Name' is already that of an enclosing loop; give the inner loop another identifier.")]
    public void ForEach_InPropertiesWithABadIdentifier_IsAProblemAtTheIdentifier(string variables, string loop, int column, string message)
    {
        var problem = TestTemplates.SingleProblem(FunctionWithVariables(variables));

        Assert.Equal(("Worker", "Properties.Environment.Variables." + loop, message), (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((14, column), (problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void ForEach_InPropertiesNestedSixDeep_IsAProblemAtTheSixthLoop()
    {
        var loop = "{ \"V${L5}\": x }";
        for (var i = 5; i >= 0; i--)
        {
            loop = $"{{ \"Fn::ForEach::L{i}\": [L{i}, [a], {loop}] }}";
        }

        var problem = TestTemplates.SingleProblem(FunctionWithVariables(loop[2..^2]));

        Assert.Equal(("Worker", "Properties.Environment.Variables.Fn::ForEach::L5", "Fn::ForEach loops nest at most 5 deep."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void ForEach_InPropertiesWithoutTheTransform_IsAProblemNamingResourceAndPath()
    {
        var problem = TestTemplates.SingleProblem(FunctionWithVariables("Fn::ForEach::Vars: [Name, [A, B], { \"V${Name}\": x }]", transform: string.Empty));

        Assert.Equal(
            ("Worker", "Properties.Environment.Variables.Fn::ForEach::Vars", "Fn::ForEach needs 'Transform: AWS::LanguageExtensions' at the top of the template."),
            (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("VpcA", "Fn::ForEach::Vpcs makes the key 'VpcA', which Resources already has.")]
    [InlineData("Vpcs", "The Fn::ForEach loop name 'Vpcs' is also the logical ID of a resource; give the loop another name.")]
    public void ForEach_ResourceClashingWithTheLoop_IsAProblemAtItsKey(string logicalId, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Transform: AWS::LanguageExtensions
            Resources:
              {{logicalId}}: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Fn::ForEach::Vpcs:
                - Name
                - [A, B]
                - "Vpc${Name}": { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.2.0.0/16 } }
            """);

        Assert.Equal(("Fn::ForEach::Vpcs", message), (problem.Resource, problem.Message));
    }

    [Fact]
    public void ForEach_LoopNameUsedTwice_IsAProblemAtTheSecondLoop()
    {
        var problem = TestTemplates.SingleProblem("""
            Transform: AWS::LanguageExtensions
            Conditions:
              Fn::ForEach::Stages: [Stage, [dev, prod], { "Is${Stage}": !Equals [!Ref "AWS::Region", eu-central-1] }]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Fn::ForEach::Stages: [Stage, [dev, prod], { "Out${Stage}": { Value: !Ref Stage } }]
            """);

        Assert.Equal("Fn::ForEach::Stages", problem.Resource);
        Assert.StartsWith("The Fn::ForEach loop name 'Stages' is also that of the loop at ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith(":3:3; each loop needs a name of its own in the template.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForEach_PropertyLoopNamedAsAConditionLoop_IsAProblemNamingResourceAndPath()
    {
        const string ConditionLoop = LanguageExtensions + "\nConditions:\n  Fn::ForEach::Vars: [Env, [dev], { \"Is${Env}\": !Equals [a, b] }]";

        var problem = TestTemplates.SingleProblem(FunctionWithVariables("Fn::ForEach::Vars: [Flag, [A], { \"FLAG_${Flag}\": \"on\" }]", ConditionLoop));

        Assert.Equal(("Worker", "Properties.Environment.Variables.Fn::ForEach::Vars"), (problem.Resource, problem.Property));
        Assert.Contains("loop name 'Vars' is also that of the loop at ", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A template of one Lambda function whose <c>Environment.Variables</c> are the YAML lines <paramref name="variables"/>.</summary>
    private static string FunctionWithVariables(string variables, string transform = LanguageExtensions) => $$"""
        {{transform}}
        Parameters:
          Stage: { Type: String, Default: prod }
        Resources:
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              Code: { ZipFile: x }
              Role: arn:aws:iam::123456789012:role/r
              Environment:
                Variables:
                  {{variables.ReplaceLineEndings("\n          ")}}
        """;

    private static string[] Variables(LambdaFunction function) => [.. function.Environment.Select(v => $"{v.Key}={v.Value}").Order(StringComparer.Ordinal)];
}
