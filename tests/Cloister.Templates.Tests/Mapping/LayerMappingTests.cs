namespace Cloister.Templates.Tests.Mapping;

/// <summary>Lambda layers: their local content, their version ARN as Ref, and the ordered layers of the functions listing them.</summary>
public sealed class LayerMappingTests : IDisposable
{
    private const string Role = "arn:aws:iam::123456789012:role/r";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-layers-");

    public LayerMappingTests()
    {
        foreach (var layer in new[] { "one", "two" })
        {
            Directory.CreateDirectory(Path.Combine(_folder.FullName, layer, "python"));
            File.WriteAllText(Path.Combine(_folder.FullName, layer, "python", "shared.py"), "X = 1\n");
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private TemplateLoadResult Load(string text) =>
        TemplateLoader.Load([new TemplateFile(Path.Combine(_folder.FullName, "template.yaml")) { Text = text }], TestTemplates.Options());

    [Fact]
    public void Load_LambdaLayerVersions_FunctionGetsThemInOrderAndRefIsVersionArn()
    {
        var result = Load($$"""
            Resources:
              One: { Type: AWS::Lambda::LayerVersion, Properties: { LayerName: one, Content: ./one, CompatibleRuntimes: [python3.12], CompatibleArchitectures: [x86_64], Description: first } }
              Two: { Type: AWS::Lambda::LayerVersion, Properties: { LayerName: two, Content: ./two } }
              Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Role: {{Role}}, Code: { ZipFile: x }, Layers: [!Ref Two, !GetAtt One.LayerVersionArn] } }
            Outputs:
              Layer: { Value: !Ref One }
            """);

        Assert.True(result.IsValid, result.Validation.ToString());
        var function = Assert.Single(result.Model.Functions);
        Assert.Equal(
            ["arn:aws:lambda:eu-central-1:123456789012:layer:two:1", "arn:aws:lambda:eu-central-1:123456789012:layer:one:1"],
            function.Layers.Select(l => l.Arn));
        var one = function.Layers[1];
        Assert.Equal(("one", Path.Combine(_folder.FullName, "one"), "first"), (one.LayerName, one.ContentPath, one.Description));
        Assert.Equal(["python3.12"], one.CompatibleRuntimes.ToArray());
        Assert.Equal(["x86_64"], one.CompatibleArchitectures.ToArray());
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:layer:one:1", Assert.Single(Assert.Single(result.Stacks).Outputs).OutputValue);
        Assert.DoesNotContain(result.Warnings, w => w.Property.Contains("Layers", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SamLayerVersionAndGlobalsLayers_GlobalsLayersFirstNamedAfterLogicalId()
    {
        var result = Load("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Layers: [!Ref Shared]
            Resources:
              Shared:
                Type: AWS::Serverless::LayerVersion
                Properties: { ContentUri: ./one, CompatibleRuntimes: [python3.12], RetentionPolicy: Retain }
              Fn:
                Type: AWS::Serverless::Function
                Properties: { Runtime: python3.12, Handler: index.handler, InlineCode: x, Layers: [!Ref Own] }
              Own:
                Type: AWS::Serverless::LayerVersion
                Properties: { ContentUri: ./two, LayerName: own-layer }
            """);

        Assert.True(result.IsValid, result.Validation.ToString());
        var layers = Assert.Single(result.Model.Functions).Layers;
        Assert.Equal(["Shared", "own-layer"], layers.Select(l => l.LayerName));
        var layer = layers[0];
        Assert.Equal(("Shared", "arn:aws:lambda:eu-central-1:123456789012:layer:Shared:1"), (layer.LayerName, layer.Arn));
        Assert.Equal(Path.Combine(_folder.FullName, "one"), layer.ContentPath);
    }

    [Fact]
    public void Load_FunctionsWithLayers_CodeListsEachFunctionsLayersWithTheirProperty()
    {
        // What up hands to the code preparer: the layers it builds as sam build does, named as the template writes them,
        // with SAM's Metadata.BuildMethod.
        var result = Load($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Shared:
                Type: AWS::Serverless::LayerVersion
                Properties: { ContentUri: ./one }
                Metadata: { BuildMethod: nodejs20.x }
              Plain: { Type: AWS::Lambda::LayerVersion, Properties: { Content: ./two } }
              Fn:
                Type: AWS::Serverless::Function
                Properties: { Runtime: python3.12, Handler: index.handler, InlineCode: x, Layers: [!Ref Shared, !Ref Plain] }
            """);

        Assert.True(result.IsValid, result.Validation.ToString());
        var code = Assert.Single(result.Code);
        Assert.Equal(
            [
                new LayerCode("template", "Shared", "ContentUri", Path.Combine(_folder.FullName, "one")) { BuildMethod = "nodejs20.x" },
                new LayerCode("template", "Plain", "Content", Path.Combine(_folder.FullName, "two")),
            ],
            code.Layers.ToArray());
    }

    [Fact]
    public void Load_SixLayers_IsProblemAtLayers()
    {
        var layers = string.Join(", ", Enumerable.Repeat("!Ref One", 6));
        var result = Load($$"""
            Resources:
              One: { Type: AWS::Lambda::LayerVersion, Properties: { LayerName: one, Content: ./one } }
              Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Role: {{Role}}, Code: { ZipFile: x }, Layers: [{{layers}}] } }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Properties.Layers"), (problem.Resource, problem.Property));
        Assert.Equal("A function can use at most 5 layers; this one lists 6.", problem.Message);
    }

    [Fact]
    public void Load_LayerArnNotInTemplates_IsProblemSayingThereIsNoNetwork()
    {
        var result = Load($$"""
            Resources:
              Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Role: {{Role}}, Code: { ZipFile: x }, Layers: ["arn:aws:lambda:eu-central-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7"] } }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Properties.Layers[0]"), (problem.Resource, problem.Property));
        Assert.StartsWith("arn:aws:lambda:eu-central-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7 is not a layer of these templates; Cloister has no network", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RuntimeNotInCompatibleRuntimes_IsWarningOnly()
    {
        var result = Load($$"""
            Resources:
              One: { Type: AWS::Lambda::LayerVersion, Properties: { LayerName: one, Content: ./one, CompatibleRuntimes: [nodejs20.x] } }
              Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Role: {{Role}}, Code: { ZipFile: x }, Layers: [!Ref One] } }
            """);

        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Single(Assert.Single(result.Model.Functions).Layers);
        var warning = Assert.Single(result.Warnings, w => w.Property.Contains("Layers", StringComparison.Ordinal));
        Assert.Equal(("Fn", "Properties.Layers[0]"), (warning.Resource, warning.Property));
        Assert.Contains("not python3.12", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content: { S3Bucket: b, S3Key: k }", "AWS::Lambda::LayerVersion", "Properties.Content", "Cloister reads no S3")]
    [InlineData("Content: ./nowhere", "AWS::Lambda::LayerVersion", "Properties.Content", "nowhere")]
    [InlineData("LayerName: x", "AWS::Lambda::LayerVersion", "Properties.Content", "is required")]
    [InlineData("ContentUri: { Bucket: b, Key: k }", "AWS::Serverless::LayerVersion", "Properties.ContentUri", "Cloister reads no S3")]
    [InlineData("ContentUri: ./nowhere", "AWS::Serverless::LayerVersion", "Properties.ContentUri", "nowhere")]
    [InlineData("Colour: red", "AWS::Serverless::LayerVersion", "Properties.Colour", "property Colour not defined for resource of type AWS::Serverless::LayerVersion")]
    public void Load_LayerContentUnusable_IsProblemAtTheProperty(string properties, string type, string property, string wanted)
    {
        var transform = type.StartsWith("AWS::Serverless", StringComparison.Ordinal) ? "Transform: AWS::Serverless-2016-10-31\n" : string.Empty;
        var content = type.StartsWith("AWS::Serverless", StringComparison.Ordinal) && !properties.StartsWith("ContentUri", StringComparison.Ordinal) ? ", ContentUri: ./one" : string.Empty;
        var result = Load($"{transform}Resources:\n  L: {{ Type: {type}, Properties: {{ {properties}{content} }} }}\n");

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("L", property), (problem.Resource, problem.Property));
        Assert.Contains(wanted, problem.Message, StringComparison.Ordinal);
    }
}
