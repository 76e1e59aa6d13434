using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Sam;

namespace Cloister.Templates.Tests.Sam;

/// <summary>Functions with a Condition and Api events: what SAM makes conditional in the API it writes.</summary>
public class SamConditionsTests
{
    private static readonly string TwoFunctions = $$"""
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Env: { Type: String, Default: dev }
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          {{TestTemplates.SamFunction("Always", "/a")}}
          {{TestTemplates.SamFunction("ProdOnly", "/b", condition: "IsProd")}}
        """;

    private static MapNode Resource(MapNode template, string id) => (MapNode)((MapNode)template.Get("Resources")!).Get(id)!;

    private static MapNode Paths(MapNode template) => (MapNode)((MapNode)((MapNode)Resource(template, "ServerlessRestApi").Get("Properties")!).Get("Body")!).Get("paths")!;

    [Theory]
    [InlineData("dev", "/a")]
    [InlineData("prod", "/a,/b")]
    public void Load_ConditionalFunctionOnImplicitApi_RoutesOnlyWhenItExists(string env, string paths)
    {
        var result = TestTemplates.LoadValid(TwoFunctions, new Dictionary<string, string> { ["Env"] = env });
        var api = Assert.Single(result.Model.RestApis);
        Assert.Equal(paths, string.Join(',', api.Resources.Where(r => r.Methods.Length > 0).Select(r => r.Path)));
        Assert.Equal(paths.Split(',').Length, result.Model.Functions.Length);
    }

    [Fact]
    public void Transform_ConditionalFunction_MethodUriAndPathAreFnIfOnItsCondition()
    {
        var paths = Paths(SamExpansion.Template(TwoFunctions));
        Assert.False(((MapNode)paths.Get("/a")!).IsIntrinsic(out _, out _));

        var path = Assert.IsType<MapNode>(paths.Get("/b"));
        Assert.True(path.IsIntrinsic(out var name, out var argument));
        var branches = Assert.IsType<ListNode>(argument);
        Assert.Equal(("Fn::If", "IsProd", "{\"Ref\":\"AWS::NoValue\"}"), (name, ((ScalarNode)branches.Items[0]).Value, NodeJson.Write(branches.Items[2])));

        var method = (MapNode)((MapNode)branches.Items[1]).Get("get")!;
        Assert.StartsWith("{\"Fn::If\":[\"IsProd\",{\"x-amazon-apigateway-integration\":{\"type\":\"aws_proxy\",\"httpMethod\":\"POST\",\"uri\":{\"Fn::If\":[\"IsProd\",{\"Fn::Sub\":", NodeJson.Write(method), StringComparison.Ordinal);
        Assert.Equal("IsProd", Resource(SamExpansion.Template(TwoFunctions), "ProdOnlyGetPermissionProd").GetString("Condition"));
    }

    [Fact]
    public void Transform_EveryFunctionConditional_ImplicitApiTakesTheirConditionsCombined()
    {
        var template = SamExpansion.Template($$"""
            Transform: AWS::Serverless-2016-10-31
            Conditions:
              C1: !Equals [a, a]
              C2: !Equals [a, b]
            Resources:
              {{TestTemplates.SamFunction("One", "/x", condition: "C2")}}
              {{TestTemplates.SamFunction("Two", "/x", "post", condition: "C1")}}
            """);

        var conditions = (MapNode)template.Get("Conditions")!;
        Assert.Equal("{\"Fn::Or\":[{\"Condition\":\"C1\"},{\"Condition\":\"C2\"}]}", NodeJson.Write(conditions.Get("ServerlessRestApiCondition")!));
        Assert.Equal("{\"Fn::Or\":[{\"Condition\":\"C1\"},{\"Condition\":\"C2\"}]}", NodeJson.Write(conditions.Get("ServerlessRestApiSLASHxPathCondition")!));
        Assert.Equal("ServerlessRestApiSLASHxPathCondition", ((ScalarNode)((ListNode)((MapNode)Paths(template).Get("/x")!).Get("Fn::If")!).Items[0]).Value);
        var generated = ((MapNode)template.Get("Resources")!).Entries.Where(e => e.Key.StartsWith("ServerlessRestApi", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, generated.Count);
        Assert.All(generated, e => Assert.Equal("ServerlessRestApiCondition", ((MapNode)e.Value).GetString("Condition")));
    }

    [Fact]
    public void Combined_MoreConditionsThanOneFnOrTakes_ChainsNumberedConditionsAsSamDoes()
    {
        var at = new SourceLocation("t.yaml", 1, 1);
        var combined = SamConditions.Combined("Api", Enumerable.Range(1, 12).Select(i => $"C{i:00}"), at);

        Assert.Equal(["Api1", "Api"], combined.Select(c => c.Key));
        Assert.Equal(10, ((ListNode)((MapNode)combined[0].Value).Get("Fn::Or")!).Items.Length);
        Assert.Equal(
            "{\"Fn::Or\":[{\"Condition\":\"C11\"},{\"Condition\":\"C12\"},{\"Condition\":\"Api1\"}]}",
            NodeJson.Write(combined[1].Value));
    }
}
