using System.Text;
using Cloister.Model.Validation;

namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// Intrinsic functions, conditions, references, parameters, outputs and template limits as CloudFormation evaluates
/// them, each mistake refused in CloudFormation's words ("Template error: ...", "Template format error: ...") at the
/// resource, output or condition and the property that holds it.
/// </summary>
public class CloudFormationWordingTests
{
    private const string Vpc = "  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }";

    private const string JoinUsage = "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.";

    private const string SelectUsage = "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";

    /// <summary>A template with one VPC, a condition <c>No</c> (false), a mapping <c>M</c> and output <c>Out</c> of <paramref name="value"/>.</summary>
    private static string WithOutput(string value) => $$"""
        Mappings:
          M: { a: { b: c } }
        Conditions:
          No: !Equals [a, b]
        Resources:
        {{Vpc}}
        Outputs:
          Out: { Value: {{value}} }
        """;

    private static string OutputValue(string value) =>
        Assert.Single(TestTemplates.LoadValid(WithOutput(value)).Stacks).Outputs.Single().OutputValue;

    private static ValidationProblem OutputProblem(string value)
    {
        var problem = OutputProblemAt(value);
        Assert.Equal("Value", problem.Property);
        return problem;
    }

    private static ValidationProblem OutputProblemAt(string value)
    {
        var problem = TestTemplates.SingleProblem(WithOutput(value));
        Assert.Equal("Out", problem.Resource);
        return problem;
    }

    [Theory]
    [InlineData("!Sub ['${Vpc}-${X}', { Vpc: shadow, X: !Ref AWS::AccountId }]", "shadow-123456789012")]
    [InlineData("!Sub '${!Literal}-${AWS::Region}-${Vpc.CidrBlock}'", "${Literal}-eu-central-1-10.1.0.0/16")]
    [InlineData("!Sub '${ AWS::Region }'", "eu-central-1")]
    [InlineData("!Select ['1', [a, b]]", "b")]
    [InlineData("!Join ['|', !Split [',', 'a,,b']]", "a||b")]
    [InlineData("!Join [',', [a, !If [No, b, !Ref AWS::NoValue], c]]", "a,c")]
    [InlineData("!Join [',', [a, !Ref AWS::NoValue, b]]", "a,b")]
    [InlineData("!Select [0, !Split [',', !Sub '${Vpc.CidrBlock},x']]", "10.1.0.0/16")]
    [InlineData("!Base64 { 'Fn::Sub': 'x${AWS::Region}' }", "eGV1LWNlbnRyYWwtMQ==")]
    [InlineData("!Join [',', !Cidr [!GetAtt [Vpc, CidrBlock], 2, 8]]", "10.1.0.0/24,10.1.1.0/24")]
    public void Load_IntrinsicInOutput_GivesCloudFormationsValue(string value, string expected) =>
        Assert.Equal(expected, OutputValue(value));

    [Fact]
    public void Load_ShortFormsTaggingBlockSequencesAndScalars_GiveTheirValues()
    {
        var result = TestTemplates.LoadValid($$"""
            Resources:
            {{Vpc}}
            Outputs:
              Joined:
                Value: !Join
                  - '-'
                  - - !Select
                      - 1
                      - !Split
                        - '.'
                        - !GetAtt Vpc.CidrBlock
                    - !Ref AWS::Region
              Block:
                Value: !Sub |
                  ${AWS::Region}
              Listed:
                Value: !GetAtt
                  - Vpc
                  - CidrBlock
              Encoded:
                Value: !Base64
                  Fn::Join: ['', [a, b]]
            """);

        Assert.Equal(
            [("Joined", "1-eu-central-1"), ("Block", "eu-central-1\n"), ("Listed", "10.1.0.0/16"), ("Encoded", "YWI=")],
            Assert.Single(result.Stacks).Outputs.Select(o => (o.OutputKey, o.OutputValue)));
    }

    [Fact]
    public void Load_JsonTemplateWithLongForms_GivesTheSameValuesAsYamlShortForms()
    {
        var json = Assert.Single(TestTemplates.Load("""
            { "Resources": { "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.1.0.0/16" } } },
              "Outputs": { "Out": { "Value": { "Fn::Join": [ "|", [
                { "Fn::GetAtt": "Vpc.CidrBlock" },
                { "Fn::Select": [ "0", { "Fn::Split": [ "/", { "Fn::GetAtt": [ "Vpc", "CidrBlock" ] } ] } ] },
                { "Fn::Sub": [ "${A}", { "A": { "Ref": "AWS::Region" } } ] } ] ] } } } }
            """, path: "template.json").Stacks).Outputs.Single().OutputValue;

        Assert.Equal("10.1.0.0/16|10.1.0.0|eu-central-1", json);
        Assert.Equal(json, OutputValue("!Join ['|', [!GetAtt Vpc.CidrBlock, !Select [0, !Split ['/', !GetAtt [Vpc, CidrBlock]]], !Sub ['${A}', { A: !Ref AWS::Region }]]]"));
    }

    [Theory]
    [InlineData("!Sub '${Nope}-x'", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template")]
    [InlineData("!Ref Nope", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template")]
    [InlineData("!Sub '${bad-name}'", "Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons (not '${bad-name}'; write '${!bad-name}' for the text itself)")]
    [InlineData("!Sub '${AWS::NotificationARNs}'", "Template error: variable AWS::NotificationARNs in Fn::Sub expression does not resolve to a string")]
    [InlineData("!Sub '${Nope.Arn}'", "Template error: instance of Fn::Sub references invalid resource attribute Nope.Arn")]
    [InlineData("!Sub '${Vpc.Nope}'", "Template error: instance of Fn::Sub references invalid resource attribute Vpc.Nope (AWS::EC2::VPC has CidrBlock, CidrBlockAssociations, DefaultNetworkAcl, DefaultSecurityGroup, Ipv6CidrBlocks, VpcId)")]
    [InlineData("!Sub [a, b, c]", "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")]
    [InlineData("!Join [',', a]", JoinUsage)]
    [InlineData("!Join [',', [a, [b]]]", JoinUsage)]
    [InlineData("!Select [-1, [a, b]]", "Template error: Fn::Select cannot select nonexistent value at index -1")]
    [InlineData("!Select [2, [a, b]]", "Template error: Fn::Select cannot select nonexistent value at index 2")]
    [InlineData("!Select [x, [a, b]]", SelectUsage)]
    [InlineData("!Select [1.5, [a, b]]", SelectUsage)]
    [InlineData("!Select [0]", SelectUsage)]
    [InlineData("!Select [0, a]", SelectUsage)]
    [InlineData("!Join [',', !Split [',']]", "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")]
    [InlineData("!FindInMap [M, a, x]", "Template error: Unable to get mapping for M::a::x")]
    [InlineData("!FindInMap [M, z, b]", "Template error: Unable to get mapping for M::z::b")]
    [InlineData("!FindInMap [N, a, b]", "Template error: Mapping named 'N' is not present in the 'Mappings' section of template.")]
    [InlineData("!FindInMap [M, a]", "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value")]
    [InlineData("!If [Nope, a, b]", "Template error: unresolved condition dependency Nope in Fn::If")]
    [InlineData("!If [No, a]", "Template error: Fn::If requires a list argument with three elements")]
    [InlineData("!If [!Ref AWS::Region, a, b]", "Template error: Fn::If requires a list argument with the first element being a condition")]
    [InlineData("!GetAtt Vpc.Nope", "Template error: resource Vpc does not support attribute type Nope in Fn::GetAtt (AWS::EC2::VPC has CidrBlock, CidrBlockAssociations, DefaultNetworkAcl, DefaultSecurityGroup, Ipv6CidrBlocks, VpcId)")]
    [InlineData("!GetAtt [Nope, CidrBlock]", "Template error: instance of Fn::GetAtt references undefined resource Nope")]
    [InlineData("!GetAtt Vpc", "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")]
    [InlineData("!GetAtt [Vpc, CidrBlock, x]", "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")]
    [InlineData("!GetAtt '.CidrBlock'", "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")]
    [InlineData("!Join [',', !GetAZs [a]]", "Fn::GetAZs needs a region name ('' or !Ref AWS::Region for the stack's own), not a list.")]
    [InlineData("!Base64 [a]", "must be a string for Fn::Base64, not a list.")]
    [InlineData("!FindInMap [M, z, b, { DefaultValue: d }]", "Fn::FindInMap DefaultValue needs 'Transform: AWS::LanguageExtensions' at the top of the template.")]
    [InlineData("{ 'Fn::Foo': [a] }", "Template format error: Encountered unsupported function: Fn::Foo Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]")]
    public void Load_IntrinsicMistakeInOutput_IsCloudFormationsErrorAtTheOutput(string value, string message) =>
        Assert.Equal(message, OutputProblem(value).Message);

    [Fact]
    public void Load_SubVariableGivenAList_IsCloudFormationsErrorAtTheVariable()
    {
        var problem = OutputProblemAt("!Sub ['${X}', { X: !GetAZs '' }]");

        Assert.Equal(("Value.X", "Template error: every value of the context object of every Fn::Sub object must be a string or a function that returns a string"), (problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("!Ref Nope", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    [InlineData("!Sub '${Nope.CidrBlock}'", "Template error: instance of Fn::Sub references invalid resource attribute Nope.CidrBlock")]
    [InlineData("!GetAtt Nope.CidrBlock", "Template error: instance of Fn::GetAtt references undefined resource Nope")]
    [InlineData("!If [Nope, 10.2.0.0/16, 10.3.0.0/16]", "Template error: unresolved condition dependency Nope in Fn::If")]
    public void Load_MistakeInResourceProperty_IsCloudFormationsErrorAtTheProperty(string value, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: {{value}} } }
            """);

        Assert.Equal(("Other", "Properties.CidrBlock", message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("!Equals [a]", "Template error: every Fn::Equals object requires a list of 2 string parameters.")]
    [InlineData("!And [!Equals [a, a]]", "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.")]
    [InlineData("!Or [!Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a], !Equals [a, a]]", "Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.")]
    [InlineData("!Not [!Equals [a, a], !Equals [a, a]]", "Template error: every Fn::Not object requires a list with exactly 1 boolean parameter.")]
    [InlineData("!Not [!Condition Zzz]", "Template error: unresolved condition dependency Zzz in Condition")]
    [InlineData("yes", "Template format error: Conditions can only be boolean operations on parameters and other conditions")]
    [InlineData("!If [X, !Equals [a, a], !Equals [a, b]]", "Template format error: Conditions can only be boolean operations on parameters and other conditions")]
    [InlineData("!Ref AWS::Region", "Template format error: Conditions can only be boolean operations on parameters and other conditions")]
    [InlineData("!Equals [!Ref Vpc, x]", "Template format error: Unresolved dependencies [Vpc]. Cannot reference resources in the Conditions block of the template")]
    public void Load_ConditionMistake_IsCloudFormationsErrorAtTheCondition(string condition, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Conditions:
              C: {{condition}}
            Resources:
            {{Vpc}}
            """);

        Assert.Equal(("C", "Conditions.C", message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_OrOfTenConditions_IsAccepted()
    {
        var ten = string.Join(", ", Enumerable.Repeat("!Equals [a, b]", 9).Append("!Equals [a, a]"));
        var result = TestTemplates.LoadValid($$"""
            Conditions:
              C: !Or [{{ten}}]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: C, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);

        Assert.Single(result.Model.Vpcs);
    }

    [Fact]
    public void Load_ConditionsNamingEachOther_IsCloudFormationsCircularDependencyOnce()
    {
        var result = TestTemplates.Load($$"""
            Conditions:
              A: !And [!Condition B, !Equals [a, a]]
              B: !Not [!Condition A]
            Resources:
            {{Vpc}}
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("B", "Template format error: Circular dependency between conditions: [A, B]"), (problem.Resource, problem.Message));
    }

    [Fact]
    public void Load_ResourceAndOutputNamingAnUndeclaredCondition_AreCloudFormationsErrorsInTheirBlocks()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: Nope, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Out: { Condition: Nope2, Value: x }
            """);

        Assert.Equal(
            [
                ("Vpc", "Condition", "Template format error: Unresolved condition dependency Nope in the Resources block of the template"),
                ("Out", "Condition", "Template format error: Unresolved condition dependency Nope2 in the Outputs block of the template"),
            ],
            result.Validation.Problems.Select(p => (p.Resource, p.Property, p.Message)));
    }

    [Theory]
    [InlineData("  A: { Type: AWS::EC2::VPC, DependsOn: A, Properties: { CidrBlock: 10.1.0.0/16 } }", "DependsOn", "Circular dependency between resources: [A] (A -> A)")]
    [InlineData("  A: { Type: AWS::EC2::VPC, DependsOn: B, Properties: { CidrBlock: 10.1.0.0/16 } }\n  B: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !Sub '${C.CidrBlock}' } }\n  C: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !GetAtt A.CidrBlock } }", "DependsOn", "Circular dependency between resources: [A, B, C] (A -> B -> C -> A)")]
    [InlineData("  A: { Type: AWS::EC2::VPC, DependsOn: [Nope], Properties: { CidrBlock: 10.1.0.0/16 } }", "DependsOn", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    public void Load_DependsOnMistake_IsCloudFormationsError(string resources, string property, string message)
    {
        var problem = TestTemplates.SingleProblem("Resources:\n" + resources);

        Assert.Equal(("A", property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("Out: { Description: x }", "Out", "Value", "Template format error: Every Outputs member must contain a Value object")]
    [InlineData("Out: !Ref Vpc", "Out", "Value", "Template format error: Every Outputs member must contain a Value object")]
    [InlineData("My_Out: { Value: x }", "My_Out", "", "Template format error: Output name My_Out is non alphanumeric.")]
    public void Load_OutputMistake_IsCloudFormationsError(string output, string id, string property, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
            {{Vpc}}
            Outputs:
              {{output}}
            """);

        Assert.Equal((id, property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_ExportNameTakenInTheSameTemplate_IsCloudFormationsError()
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
            {{Vpc}}
            Outputs:
              A: { Value: x, Export: { Name: shared } }
              B: { Value: y, Export: { Name: shared } }
            """);

        Assert.Equal(("B", "Export.Name", "Export with name shared is already exported by stack template"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_ImportOfAnExportOfTheSameTemplate_IsCloudFormationsNoExport()
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
            {{Vpc}}
            Outputs:
              A: { Value: x, Export: { Name: own } }
              B: { Value: !ImportValue own }
            """);

        Assert.Equal(("B", "Value"), (problem.Resource, problem.Property));
        Assert.StartsWith("No export named own found.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ResourceNameNotAlphanumericOrLongerThan255_IsCloudFormationsError()
    {
        var long256 = new string('A', 256);
        var result = TestTemplates.Load($$"""
            Resources:
              my-vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              {{long256}}: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.2.0.0/16 } }
              {{long256[..255]}}: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.3.0.0/16 } }
            """);

        Assert.Equal(
            [
                ("my-vpc", "Template format error: Resource name my-vpc is non alphanumeric."),
                (long256, "Template format error: Resource name AAAAAAAAAAAAAAAAAAAA... is 256 characters long; logical IDs can be at most 255."),
            ],
            result.Validation.Problems.Select(p => (p.Resource, p.Message)));
    }

    [Theory]
    [InlineData(501, 0, 0, "Resources", "Template format error: Number of resources, 501, is greater than maximum allowed, 500")]
    [InlineData(1, 201, 0, "Outputs", "Template format error: Number of outputs, 201, is greater than maximum allowed, 200")]
    [InlineData(1, 0, 201, "Parameters", "Template format error: Number of parameters, 201, is greater than maximum allowed, 200")]
    public void Load_MoreThanCloudFormationsQuota_IsCloudFormationsError(int resources, int outputs, int parameters, string section, string message)
    {
        var problem = TestTemplates.SingleProblem(Counted(resources, outputs, parameters));

        Assert.Equal(("Template", section, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_ExactlyCloudFormationsQuotas_IsAccepted()
    {
        var result = TestTemplates.LoadValid(Counted(500, 200, 200));

        Assert.Equal(500, result.Model.Vpcs.Length);
        Assert.Equal(200, Assert.Single(result.Stacks).Outputs.Length);
    }

    /// <summary>A template of so many parameters (each with a Default), VPCs (each its own /24) and outputs.</summary>
    private static string Counted(int resources, int outputs, int parameters)
    {
        var text = new StringBuilder();
        text.AppendLine(parameters > 0 ? "Parameters:" : string.Empty);
        for (var i = 0; i < parameters; i++)
        {
            text.AppendLine($"  P{i}: {{ Type: String, Default: x }}");
        }

        text.AppendLine("Resources:");
        for (var i = 0; i < resources; i++)
        {
            text.AppendLine($"  Vpc{i}: {{ Type: AWS::EC2::VPC, Properties: {{ CidrBlock: 10.{i / 256}.{i % 256}.0/24 }} }}");
        }

        text.AppendLine(outputs > 0 ? "Outputs:" : string.Empty);
        for (var i = 0; i < outputs; i++)
        {
            text.AppendLine($"  O{i}: {{ Value: x }}");
        }

        return text.ToString();
    }

    [Theory]
    [InlineData("{ Type: String }", "", "Parameters: [P] must have values (it has no Default: give one with --param P=VALUE)")]
    [InlineData("{ Type: Strang, Default: x }", "Type", "Template format error: Unrecognized parameter type: Strang")]
    [InlineData("{ Type: String, Default: x, Required: true }", "Required", "Invalid template parameter property 'Required'")]
    [InlineData("{ Type: Number, Default: abc }", "Type", "Parameter 'P' must be a number.")]
    [InlineData("{ Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,sg-2' }", "Type", "Parameter validation failed: parameter value sg-2 for parameter name P does not exist (an AWS::EC2::Subnet::Id starts with 'subnet-')")]
    [InlineData("{ Type: String, Default: !Ref AWS::Region }", "Default", "Template format error: Every Default member must be a string.")]
    [InlineData("{ Type: List<Number>, Default: '1,x' }", "Type", "Parameter 'P' must be a number.")]
    public void Load_ParameterMistake_IsCloudFormationsError(string declaration, string property, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Parameters:
              P: {{declaration}}
            Resources:
            {{Vpc}}
            """);

        Assert.Equal(("P", property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("Outputz: {}", "Template", "Outputz", "Template format error: Invalid template property or properties [Outputz]")]
    [InlineData("Resources:\n  Vpc: { Type: AWS::EC2::VPC, Propertiez: {} }", "Vpc", "Propertiez", "Template format error: Invalid template resource property 'Propertiez'")]
    [InlineData("Resources: {}", "Template", "Resources", "Template format error: At least one Resources member must be defined.")]
    [InlineData("Mappings:\n  M: [a]", "M", "Mappings.M", "Template format error: Every Mappings member M must be a map")]
    [InlineData("Mappings:\n  M: { a: b }", "M", "Mappings.M.a", "Template format error: Every Mappings attribute must be a map")]
    [InlineData("Mappings:\n  M: { a: { b: !Ref AWS::Region } }", "M", "Mappings.M.a.b", "Template format error: Every Mappings attribute must be a String or a List.")]
    [InlineData("Outputs:\n  Out: { Value: x, Export: x }", "Out", "Export", "The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.")]
    public void Load_TemplateStructureMistake_IsCloudFormationsError(string text, string id, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(text.StartsWith("Resources", StringComparison.Ordinal) ? text : $"Resources:\n{Vpc}\n{text}");

        Assert.Equal((id, property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("!FindInMap [M, z, b, { DefaultValue: d }]", "d")]
    [InlineData("!FindInMap [M, a, z, { DefaultValue: d }]", "d")]
    [InlineData("!FindInMap [M, a, b, { DefaultValue: d }]", "c")]
    public void Load_FindInMapDefaultValueForAMissingKey_IsTheDefault(string value, string expected)
    {
        var result = TestTemplates.LoadValid("Transform: AWS::LanguageExtensions\n" + WithOutput(value));

        Assert.Equal(expected, Assert.Single(result.Stacks).Outputs.Single().OutputValue);
    }

    [Fact]
    public void Load_FindInMapDefaultValueForAMissingMapping_IsMappingNotPresent()
    {
        var problem = TestTemplates.SingleProblem("Transform: AWS::LanguageExtensions\n" + WithOutput("!FindInMap [N, a, b, { DefaultValue: d }]"));

        Assert.Equal("Template error: Mapping named 'N' is not present in the 'Mappings' section of template.", problem.Message);
    }

    [Theory]
    [InlineData("Other: { Type: AWS::EC2::VPC, Condition: No, Properties: { CidrBlock: !Ref Nope } }", "Other", "Properties.CidrBlock", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    [InlineData("Other: { Type: AWS::EC2::VPC, Condition: No, Properties: { CidrBlock: !GetAtt Nope.CidrBlock } }", "Other", "Properties.CidrBlock", "Template error: instance of Fn::GetAtt references undefined resource Nope")]
    [InlineData("Other: { Type: AWS::EC2::VPC, Condition: No, Properties: { CidrBlock: !Sub '${Nope}' } }", "Other", "Properties.CidrBlock", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    [InlineData("Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !If [No, !Ref Nope, 10.2.0.0/16] } }", "Other", "Properties.CidrBlock", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template")]
    [InlineData("Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !If [No, !If [Zzz, a, b], 10.2.0.0/16] } }", "Other", "Properties.CidrBlock", "Template error: unresolved condition dependency Zzz in Fn::If")]
    public void Load_NameInWhatIsNotEvaluated_IsStillRefused(string resource, string id, string property, string message)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Conditions:
              No: !Equals [a, b]
            Resources:
            {{Vpc}}
              {{resource}}
            """);

        Assert.Equal((id, property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_NameInTheValueOfAnOutputLeftOut_IsStillRefused()
    {
        var problem = TestTemplates.SingleProblem($$"""
            Conditions:
              No: !Equals [a, b]
            Resources:
            {{Vpc}}
            Outputs:
              Out: { Condition: No, Value: !Ref Nope }
            """);

        Assert.Equal(("Out", "Value", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_UntakenBranchNamingAResourceLeftOut_IsAccepted()
    {
        var result = TestTemplates.LoadValid($$"""
            Conditions:
              No: !Equals [a, b]
            Resources:
            {{Vpc}}
              Other: { Type: AWS::EC2::VPC, Condition: No, Properties: { CidrBlock: 10.2.0.0/16 } }
            Outputs:
              Out: { Value: !If [No, !GetAtt Other.CidrBlock, none] }
            """);

        Assert.Equal("none", Assert.Single(result.Stacks).Outputs.Single().OutputValue);
    }

    [Fact]
    public void Load_ResourcesNotAMap_IsOneProblem()
    {
        var problem = TestTemplates.SingleProblem("Resources: [a]");

        Assert.Equal(("Template", "Resources", "The Resources section must be a map, not a list."), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Load_MappingOfListsAndNumbers_IsAccepted()
    {
        var result = TestTemplates.LoadValid($$"""
            Mappings:
              L: { k: { v: [a, b], n: 2 } }
            Resources:
            {{Vpc}}
            Outputs:
              Out: { Value: !Join ['|', [!Select [1, !FindInMap [L, k, v]], !FindInMap [L, k, n]]] }
            """);

        Assert.Equal("b|2", Assert.Single(result.Stacks).Outputs.Single().OutputValue);
    }
}
