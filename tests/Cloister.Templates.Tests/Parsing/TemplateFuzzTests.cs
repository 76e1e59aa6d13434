using System.Text;

namespace Cloister.Templates.Tests.Parsing;

/// <summary>
/// Random and mutated templates never crash the loader: they load or give located problems. How long that takes is for
/// benchmarks, not for a clock here (one failed under load).
/// </summary>
public class TemplateFuzzTests
{
    private static readonly string[] Seeds =
    [
        File.ReadAllText(TestTemplates.DataPath("seed-architecture", "template.yaml")),
        File.ReadAllText(TestTemplates.DataPath("blog-onprem", "template.yaml")),
        """
        {"Parameters": {"P": {"Type": "String", "Default": "x"}},
         "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
         "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Condition": "C", "Properties": {"CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/8", 2, 16]}]}}}},
         "Outputs": {"O": {"Value": {"Fn::Sub": "${Vpc}-${AWS::Region}"}, "Export": {"Name": "e"}}}}
        """,
        """
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Env: { Type: String, Default: dev }
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Globals:
          Function: { Runtime: nodejs20.x, Handler: index.handler, CodeUri: claims/, Timeout: 3 }
          Api: { OpenApiVersion: "3.0.1", Auth: { ResourcePolicy: { IpRangeWhitelist: [10.0.0.0/8] } } }
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: v1-beta
              DefinitionUri: openapi.json
              Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: PER_API } }
          Fn:
            Type: AWS::Serverless::Function
            Condition: IsProd
            Properties:
              Events:
                Get: { Type: Api, Properties: { Path: /items/, Method: get } }
                Put: { Type: Api, Properties: { Path: "/items/{id}", Method: put, RestApiId: !Ref Api } }
        Outputs:
          Stage: { Value: !Ref Api.Stage }
          Url: { Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/${ServerlessRestApi.Stage}" }
        """,
    ];

    private static readonly string[] Fragments =
    [
        "!Ref", "!GetAtt", "!Sub", "!If", "!Join", "!Select [", "{", "}", "[", "]", ":", "- ", "\n", "  ", "\t", "\"", "'", "${", "&a", "*a",
        "Fn::", "Ref", "Resources:", "Type: AWS::EC2::VPC", "!Cidr [", "!FindInMap", "---", "#", "\\u0000", "9999999999999999999999", "-1",
        "AWS::NoValue", "Condition:", "DependsOn: [", "Properties:", "Transform: AWS::Serverless-2016-10-31", "Events:", "Type: Api",
        "\0", "CodeUri: ", "DefinitionUri: ", "DefinitionBody: {}", "StageName: ", "Globals:", "!Ref Api.", ".Stage", "Policies: [",
    ];

    [Fact]
    public void Load_MutatedTemplates_NeverThrow()
    {
        var random = new Random(1234);
        for (var i = 0; i < 600; i++)
        {
            var seed = Seeds[i % Seeds.Length];
            AssertLoadsOrProblems(Mutate(seed, random), seed.StartsWith('{') ? "fuzz.json" : "fuzz.yaml");
        }
    }

    [Fact]
    public void Load_RandomText_NeverThrows()
    {
        var random = new Random(99);
        for (var i = 0; i < 400; i++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 40);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(random.Next(3) == 0 ? (char)random.Next(1, 0x3000) : Fragments[random.Next(Fragments.Length)]);
                if (random.Next(4) == 0)
                {
                    builder.Append('\n').Append(' ', random.Next(0, 8));
                }
            }

            AssertLoadsOrProblems(builder.ToString(), "random.yaml");
        }
    }

    [Fact]
    public void Load_DeepNesting_GivesProblemNotStackOverflow()
    {
        AssertLoadsOrProblems(new string('[', 5000) + new string(']', 5000), "deep.yaml");
        AssertLoadsOrProblems("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3001), "deep.json");
        var nestedIf = "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: " + string.Concat(Enumerable.Repeat("!Base64 ", 200)) + "x\n";
        AssertLoadsOrProblems(nestedIf, "deepfn.yaml");
    }

    private static void AssertLoadsOrProblems(string text, string path)
    {
        var result = TemplateLoader.Load([new TemplateFile(TestTemplates.DataPath(path)) { Text = text }], TestTemplates.Options());
        if (!result.IsValid)
        {
            Assert.All(result.Validation.Problems, p =>
            {
                Assert.False(string.IsNullOrEmpty(p.Message));
                Assert.NotNull(p.Location);
            });
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 30), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    text[at] = (char)random.Next(32, 127);
                    break;
                default:
                    var from = random.Next(text.Length);
                    var length = Math.Min(random.Next(1, 80), text.Length - from);
                    text.Insert(at, text.ToString(from, length));
                    break;
            }
        }

        return text.ToString();
    }
}
