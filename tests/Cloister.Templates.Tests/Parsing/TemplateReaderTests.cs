using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;

namespace Cloister.Templates.Tests.Parsing;

public class TemplateReaderTests
{
    private static MapNode Read(string text, string file = "t.yaml")
    {
        var problems = new ProblemCollector();
        var node = TemplateReader.Read(file, text, problems);
        Assert.True(problems.ToResult().IsValid, problems.ToResult().ToString());
        return Assert.IsType<MapNode>(node);
    }

    private static ValidationProblem ReadBad(string text, string file = "t.yaml")
    {
        var problems = new ProblemCollector();
        Assert.Null(TemplateReader.Read(file, text, problems));
        return Assert.Single(problems.ToResult().Problems);
    }

    [Theory]
    [InlineData("!Ref X", "Ref")]
    [InlineData("!Sub x", "Fn::Sub")]
    [InlineData("!Join [a, [b]]", "Fn::Join")]
    [InlineData("!Select [0, [b]]", "Fn::Select")]
    [InlineData("!Split [a, b]", "Fn::Split")]
    [InlineData("!If [C, a, b]", "Fn::If")]
    [InlineData("!Equals [a, b]", "Fn::Equals")]
    [InlineData("!And [a, b]", "Fn::And")]
    [InlineData("!Or [a, b]", "Fn::Or")]
    [InlineData("!Not [a]", "Fn::Not")]
    [InlineData("!FindInMap [a, b, c]", "Fn::FindInMap")]
    [InlineData("!GetAZs ''", "Fn::GetAZs")]
    [InlineData("!ImportValue x", "Fn::ImportValue")]
    [InlineData("!Base64 x", "Fn::Base64")]
    [InlineData("!Cidr [a, 1, 2]", "Fn::Cidr")]
    [InlineData("!Condition C", "Condition")]
    [InlineData("!GetAtt A.B", "Fn::GetAtt")]
    public void Yaml_ShortFormTag_BecomesLongForm(string value, string function)
    {
        var root = Read($"V: {value}\n");
        var call = Assert.IsType<MapNode>(root.Get("V"));
        Assert.True(call.IsIntrinsic(out var name, out _));
        Assert.Equal(function, name);
    }

    [Fact]
    public void Yaml_GetAttDotted_SplitsAtFirstDot()
    {
        var call = (MapNode)Read("V: !GetAtt Lb.DNSName.Extra\n").Get("V")!;
        var list = Assert.IsType<ListNode>(call.Get("Fn::GetAtt"));
        Assert.Equal(["Lb", "DNSName.Extra"], list.Items.Cast<ScalarNode>().Select(s => s.Value));
    }

    [Fact]
    public void Yaml_Nodes_KeepLineAndColumn()
    {
        var root = Read("A:\n  B:\n    - x\n    - y: z\n", "f.yaml");
        var a = root.GetEntry("A")!;
        Assert.Equal(new SourceLocation("f.yaml", 1, 1), a.KeyLocation);
        var list = (ListNode)((MapNode)a.Value).Get("B")!;
        Assert.Equal(new SourceLocation("f.yaml", 3, 7), list.Items[0].Location);
        Assert.Equal(new SourceLocation("f.yaml", 4, 7), ((MapNode)list.Items[1]).GetEntry("y")!.KeyLocation);
    }

    [Fact]
    public void Yaml_ScalarKinds_AreRecognised()
    {
        var root = Read("a: 1\nb: true\nc: ~\nd: '1'\ne: 1.5\nf: text\n");
        Assert.Equal(ScalarKind.Number, ((ScalarNode)root.Get("a")!).Kind);
        Assert.Equal(ScalarKind.Boolean, ((ScalarNode)root.Get("b")!).Kind);
        Assert.Equal(ScalarKind.Null, ((ScalarNode)root.Get("c")!).Kind);
        Assert.Equal(ScalarKind.String, ((ScalarNode)root.Get("d")!).Kind);
        Assert.Equal(ScalarKind.Number, ((ScalarNode)root.Get("e")!).Kind);
        Assert.Equal(ScalarKind.String, ((ScalarNode)root.Get("f")!).Kind);
    }

    [Fact]
    public void Yaml_AnchorsAndAliases_AreResolved()
    {
        var root = Read("a: &x { k: v }\nb: *x\n");
        Assert.Equal("v", ((MapNode)root.Get("b")!).GetString("k"));
    }

    [Fact]
    public void Yaml_DuplicateKey_IsProblemAtSecondKey()
    {
        var problem = ReadBad("a: 1\nb: 2\na: 3\n");
        Assert.Equal(new SourceLocation("t.yaml", 3, 1), problem.Location);
        Assert.Contains("'a' appears twice", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_UnknownTag_IsProblem() => Assert.Contains("!Reff", ReadBad("a: !Reff x\n").Message, StringComparison.Ordinal);

    [Fact]
    public void Yaml_SyntaxError_IsProblemWithLocation()
    {
        var problem = ReadBad("a: [1, 2\nb: 3\n");
        Assert.StartsWith("Not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.NotNull(problem.Location);
        Assert.True(problem.Location!.Line >= 1);
    }

    [Theory]
    [InlineData("Resources:\n  Vpc:\n\tType: AWS::EC2::VPC\n", 3, 1)]
    [InlineData("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n  \t  CidrBlock: 10.1.0.0/16\n", 5, 3)]
    public void Yaml_TabAsIndentation_IsProblemAtTheTabNotTheFirstLine(string text, int line, int column)
    {
        var problem = ReadBad(text);

        Assert.Equal("Not valid YAML: While scanning a mapping, found invalid tab as indentation.", problem.Message);
        Assert.Equal(new SourceLocation("t.yaml", line, column), problem.Location);
    }

    [Fact]
    public void Json_Nodes_KeepLineAndColumn()
    {
        var root = Read("{\n  \"Resources\": {\n    \"Vpc\": { \"Type\": \"AWS::EC2::VPC\" }\n  }\n}\n", "t.json");
        var resources = root.GetEntry("Resources")!;
        Assert.Equal(new SourceLocation("t.json", 2, 3), resources.KeyLocation);
        var vpc = ((MapNode)resources.Value).GetEntry("Vpc")!;
        Assert.Equal(new SourceLocation("t.json", 3, 5), vpc.KeyLocation);
        Assert.Equal(new SourceLocation("t.json", 3, 22), ((MapNode)vpc.Value).Get("Type")!.Location);
    }

    [Fact]
    public void Json_NonAsciiBeforeToken_CountsCharactersNotBytes()
    {
        var root = Read("{\"a\": \"é\", \"b\": 1}", "t.json");
        Assert.Equal(12, root.GetEntry("b")!.KeyLocation.Column);
    }

    [Fact]
    public void Json_LongFormIntrinsics_AreMaps()
    {
        var root = Read("{\"V\": {\"Fn::GetAtt\": [\"A\", \"B\"]}}", "t.json");
        Assert.True(((MapNode)root.Get("V")!).IsIntrinsic(out var name, out _));
        Assert.Equal("Fn::GetAtt", name);
    }

    [Fact]
    public void Json_SyntaxError_IsProblemWithLineAndColumn()
    {
        var problem = ReadBad("{\n  \"a\": 1,\n  \"b\": }\n", "t.json");
        Assert.Equal(3, problem.Location!.Line);
        Assert.StartsWith("Not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"a\": 1,\n}\n", "Not valid JSON: The JSON object contains a trailing comma at the end.")]
    [InlineData("{\"a\": [1 2]}", "Not valid JSON: ")]
    public void Json_SyntaxError_MessageSaysWhatIsWrongWithTheTemplateNotTheReader(string text, string expected)
    {
        var problem = ReadBad(text, "t.json");

        Assert.DoesNotContain("reader options", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith(expected.TrimEnd('.'), problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_DuplicateKey_IsProblem() => Assert.Contains("twice", ReadBad("{\"a\": 1, \"a\": 2}", "t.json").Message, StringComparison.Ordinal);

    [Fact]
    public void Json_FullTemplate_LoadsLikeYaml()
    {
        var result = TestTemplates.Load("""
            {
              "Resources": {
                "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.1.0.0/16" } },
                "Subnet": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": { "Fn::Select": [0, { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 2, 8] }] } } }
              }
            }
            """, path: "template.json");
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Equal("10.1.0.0/24", result.Model.Subnets.Single().CidrBlock);
    }
}
