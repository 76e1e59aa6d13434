using Cloister.Templates.Nodes;

namespace Cloister.Templates.Tests.Sam;

/// <summary>SAM's <c>AutoPublishAlias</c>: a version, an alias on it, and the function's events connected to the alias.</summary>
public class SamAutoPublishAliasTests
{
    /// <summary>A template of one SAM function <c>Fn</c> named claims, inline Node.js code, with <paramref name="properties"/> (one per line).</summary>
    private static string InlineFunction(string properties) =>
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + "      FunctionName: claims\n      InlineCode: x\n      Handler: index.handler\n      Runtime: nodejs20.x\n"
        + string.Join('\n', properties.Split('\n').Select(line => "      " + line)) + "\n";

    private static MapNode ResourceOf(MapNode resources, string id) => Assert.IsType<MapNode>(resources.Get(id));

    private static MapNode PropsOf(MapNode resources, string id) => (MapNode)ResourceOf(resources, id).Get("Properties")!;

    [Fact]
    public void AutoPublishAlias_SamsOwnFixture_WritesVersionAndAliasAndConnectsTheApiEventToTheAlias()
    {
        // SAM's tests/translator/input/function_with_alias_and_event_sources.yaml, its Api event: SAM names the
        // version MyAwesomeFunctionVersion640128d35d (the SHA-1 of the sorted code dictionary).
        var resources = SamExpansion.Resources("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              MyAwesomeFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: { Bucket: sam-demo-bucket, Key: hello.zip }
                  Handler: hello.handler
                  Runtime: python3.12
                  AutoPublishAlias: Live
                  Events:
                    ImplicitApi: { Type: Api, Properties: { Path: /add, Method: post } }
            """);

        var version = ResourceOf(resources, "MyAwesomeFunctionVersion640128d35d");
        Assert.Equal(("AWS::Lambda::Version", "Retain"), (version.GetString("Type"), version.GetString("DeletionPolicy")));
        Assert.Equal("""{"FunctionName":{"Ref":"MyAwesomeFunction"}}""", NodeJson.Write(version.Get("Properties")!));
        var alias = ResourceOf(resources, "MyAwesomeFunctionAliasLive");
        Assert.Equal("AWS::Lambda::Alias", alias.GetString("Type"));
        Assert.Equal(
            """{"Name":"Live","FunctionName":{"Ref":"MyAwesomeFunction"},"FunctionVersion":{"Fn::GetAtt":["MyAwesomeFunctionVersion640128d35d","Version"]}}""",
            NodeJson.Write(alias.Get("Properties")!));
        Assert.Equal("""{"Ref":"MyAwesomeFunctionAliasLive"}""", NodeJson.Write(PropsOf(resources, "MyAwesomeFunctionImplicitApiPermissionProd").Get("FunctionName")!));
        var body = NodeJson.Write(PropsOf(resources, "ServerlessRestApi").Get("Body")!);
        Assert.Contains("""functions/${MyAwesomeFunctionAliasLive}/invocations""", body, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoPublishAlias_InGlobalsWithVersionDescriptionAndReferences_ResolvesFnAliasAndFnVersion()
    {
        var resources = SamExpansion.Resources("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: { AutoPublishAlias: live }
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs20.x, VersionDescription: first, MemorySize: 256 }
              Uses:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: !Ref Fn.Alias
                  Action: lambda:InvokeFunction
                  Principal: !GetAtt Fn.Version.Version
                  SourceArn: !Sub "${Fn.Alias}/x"
            """);

        // SAM's hash input {"MemorySize":256,"ZipFile":"x"}, its SHA-1 as Python's hashlib gives it.
        const string versionId = "FnVersion381127f6d4";
        Assert.Equal("first", PropsOf(resources, versionId).GetString("Description"));
        var uses = NodeJson.Write(PropsOf(resources, "Uses"));
        Assert.Equal(
            $$$"""{"FunctionName":{"Ref":"FnAliaslive"},"Action":"lambda:InvokeFunction","Principal":{"Fn::GetAtt":["{{{versionId}}}","Version"]},"SourceArn":{"Fn::Sub":"${FnAliaslive}/x"}}""",
            uses);
    }

    /// <summary>A template whose function <c>Fn</c> publishes the alias <c>!Ref Alias</c>, a String parameter with <paramref name="parameter"/>'s attributes.</summary>
    private static string AliasFromParameter(string parameter, string alias = "!Ref Alias") => $$"""
        Transform: AWS::Serverless-2016-10-31
        Parameters: { Alias: { Type: String{{parameter}} } }
        Resources:
          Fn: { Type: AWS::Serverless::Function, Properties: { FunctionName: claims, InlineCode: x, Handler: a.b, Runtime: nodejs20.x, AutoPublishAlias: {{alias}} } }
        """;

    [Fact]
    public void AutoPublishAlias_RefToParameter_PublishesTheAliasTheValueNames()
    {
        // SAM resolves a Ref to a template parameter (its Default, or the value given) before it names the alias.
        var byDefault = Assert.Single(TestTemplates.LoadValid(AliasFromParameter(", Default: live")).Model.Functions);
        var given = Assert.Single(TestTemplates.LoadValid(AliasFromParameter(", Default: live"), new Dictionary<string, string> { ["Alias"] = "blue" }).Model.Functions);

        Assert.Equal(("FnAliaslive", "live", "1"), (Assert.Single(byDefault.Aliases).LogicalId, byDefault.Aliases[0].Name, byDefault.Aliases[0].FunctionVersion));
        Assert.Equal(("FnAliasblue", "blue"), (Assert.Single(given.Aliases).LogicalId, given.Aliases[0].Name));
        Assert.Single(given.Versions);
    }

    [Fact]
    public void AutoPublishAlias_Sub_IsSamsErrorAtTheProperty()
    {
        // SAM resolves parameter references inside Fn::Sub but the value stays a Fn::Sub, which it refuses.
        var problem = TestTemplates.SingleProblem(AliasFromParameter(", Default: live", "!Sub '${Alias}'"));

        Assert.Equal(("Fn", "Properties.AutoPublishAlias", "'AutoPublishAlias' must be a string or a Ref to a template parameter"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void AutoPublishAlias_RefToPartition_PublishesTheAliasThePartitionNames()
    {
        // SAM adds AWS::Region and AWS::Partition to the parameter values it resolves (SamParameterValues.add_pseudo_parameter_values).
        var function = Assert.Single(TestTemplates.LoadValid(AliasFromParameter(", Default: live", "!Ref AWS::Partition")).Model.Functions);

        Assert.Equal(("FnAliasaws", "aws"), (Assert.Single(function.Aliases).LogicalId, function.Aliases[0].Name));
    }

    [Fact]
    public void AutoPublishAlias_RefToRegion_ResolvesButItsHyphensMakeSamsLogicalIdError()
    {
        // The region resolves, but the alias's logical id FnAliaseu-central-1 is not alphanumeric: SAM's Resource refuses it.
        var problem = TestTemplates.SingleProblem(AliasFromParameter(", Default: live", "!Ref AWS::Region"));

        Assert.Equal(("Fn", "Properties.AutoPublishAlias"), (problem.Resource, problem.Property));
        Assert.Equal("Resource with id [FnAliaseu-central-1] is invalid. Logical ids must be alphanumeric.", problem.Message);
    }

    [Theory]
    [InlineData("!Ref AWS::AccountId")]
    [InlineData("!Ref AWS::StackName")]
    [InlineData("!Ref AWS::URLSuffix")]
    public void AutoPublishAlias_RefToPseudoParameterSamDoesNotKnow_IsSamsError(string alias)
    {
        var problem = TestTemplates.SingleProblem(AliasFromParameter(", Default: live", alias));

        Assert.Equal(("Fn", "Properties.AutoPublishAlias", "'AutoPublishAlias' must be a string or a Ref to a template parameter"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void AutoPublishAlias_NameWithHyphen_IsSamsLogicalIdError()
    {
        var problem = TestTemplates.SingleProblem(AliasFromParameter(", Default: live", "my-alias"));

        Assert.Equal(("Fn", "Properties.AutoPublishAlias"), (problem.Resource, problem.Property));
        Assert.Equal("Resource with id [FnAliasmy-alias] is invalid. Logical ids must be alphanumeric.", problem.Message);
    }

    [Fact]
    public void AutoPublishAlias_RefToEmptyParameter_IsSamsError()
    {
        // A literal '' publishes nothing; a Ref is a name to SAM until it resolves, and then an empty one is refused.
        var problem = TestTemplates.SingleProblem(AliasFromParameter(", Default: ''"));

        Assert.Equal(("Fn", "Properties.AutoPublishAlias", "Alias name is required to create an alias"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void AutoPublishAlias_RefToParameterWithoutValue_IsReportedOnceAtTheParameter()
    {
        var problem = TestTemplates.SingleProblem(AliasFromParameter(string.Empty));

        Assert.Equal("Alias", problem.Resource);
    }

    [Fact]
    public void AutoPublishAlias_Deployed_ModelsVersionAliasAndThePermissionOnTheAlias()
    {
        var model = TestTemplates.LoadValid(InlineFunction("""
            AutoPublishAlias: live
            Events: { Get: { Type: Api, Properties: { Path: /items, Method: get } } }
            """)).Model;

        var function = Assert.Single(model.Functions);
        var version = Assert.Single(function.Versions);
        Assert.Equal(("1", "index.handler", "nodejs20.x"), (version.Version, version.Configuration.Handler, version.Configuration.Runtime));
        var alias = Assert.Single(function.Aliases);
        Assert.Equal(("FnAliaslive", "live", "1"), (alias.LogicalId, alias.Name, alias.FunctionVersion));
        Assert.Equal("live", Assert.Single(function.Permissions).Qualifier);
        var uri = model.RestApis.Single().Resources.SelectMany(r => r.Methods).Single().Integration!.Uri;
        Assert.EndsWith("/functions/arn:aws:lambda:eu-central-1:123456789012:function:claims:live/invocations", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void ProvisionedConcurrencyConfig_WithAutoPublishAlias_LandsOnTheGeneratedAlias()
    {
        var model = TestTemplates.LoadValid(InlineFunction("""
            AutoPublishAlias: live
            ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 }
            """)).Model;

        var function = Assert.Single(model.Functions);
        Assert.Null(Assert.Single(function.Versions).ProvisionedConcurrency);
        var alias = Assert.Single(function.Aliases);
        Assert.Equal(("FnAliaslive", 2), (alias.LogicalId, alias.ProvisionedConcurrency));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AutoPublishAlias: ''")]
    public void ProvisionedConcurrencyConfig_WithoutAutoPublishAlias_IsSamsError(string alias)
    {
        var problem = TestTemplates.SingleProblem(InlineFunction("ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 }\n" + alias));

        Assert.Equal(("Fn", "Properties.ProvisionedConcurrencyConfig", "To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function"), (problem.Resource, problem.Property, problem.Message));
    }
}
