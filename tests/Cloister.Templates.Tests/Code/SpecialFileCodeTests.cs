namespace Cloister.Templates.Tests.Code;

/// <summary>
/// A local path that names a named pipe or a device is refused at load, naming the resource and the property, and
/// without opening it (a pipe would wait for a writer for ever, a device would be read as if it were code).
/// </summary>
public sealed class SpecialFileCodeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-special-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>One resource whose <paramref name="property"/> (on line 6) is <paramref name="path"/>.</summary>
    private static string Template(string property, string path)
    {
        var (first, type, others) = property switch
        {
            "CodeUri" => ("Transform: AWS::Serverless-2016-10-31", "AWS::Serverless::Function", new[] { "Handler: index.handler", "Runtime: nodejs20.x" }),
            "Code" => ("AWSTemplateFormatVersion: \"2010-09-09\"", "AWS::Lambda::Function", ["Handler: a.b", "Runtime: python3.12", "Role: arn:aws:iam::123456789012:role/r"]),
            _ => ("Transform: AWS::Serverless-2016-10-31", "AWS::Serverless::Api", ["StageName: live"]),
        };
        string[] lines = [first, "Resources:", "  Fn:", $"    Type: {type}", "    Properties:", $"      {property}: {path}", .. others.Select(o => "      " + o)];
        return string.Join('\n', lines);
    }

    private TemplateLoadResult Load(string property, string path, string? fifo = null)
    {
        var file = new TemplateFile(Path.Combine(_folder.FullName, "template.yaml")) { Text = Template(property, path) };
        return fifo is null
            ? TemplateLoader.Load([file], TestTemplates.Options())
            : Fifo.Within(fifo, () => TemplateLoader.Load([file], TestTemplates.Options()));
    }

    [Theory]
    [InlineData("CodeUri", "a file or directory")]
    [InlineData("Code", "a file or directory")]
    [InlineData("DefinitionUri", "a file")]
    public void Load_PropertyNamesNamedPipe_IsRefusedPromptlyAtTheProperty(string property, string wanted)
    {
        // Named like what each property reads, so that only the file's type can refuse it.
        var name = property == "DefinitionUri" ? "openapi.yaml" : "code.zip";
        var fifo = Path.Combine(_folder.FullName, name);
        Fifo.Make(fifo);

        var result = Load(property, name, fifo);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Properties." + property, 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal($"'{fifo}' is a named pipe, not {wanted}.", problem.Message);
        Assert.Contains($"Fn.Properties.{property}: '{fifo}' is a named pipe", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CodeUri", "a file or directory")]
    [InlineData("Code", "a file or directory")]
    [InlineData("DefinitionUri", "a file")]
    public void Load_PropertyNamesCharacterDevice_IsRefusedAtTheProperty(string property, string wanted)
    {
        var result = Load(property, "/dev/null");

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Properties." + property), (problem.Resource, problem.Property));
        Assert.Equal($"'/dev/null' is a character device, not {wanted}.", problem.Message);
    }

    [Fact]
    public void Load_DefinitionUriNamesDirectory_IsRefusedAsNotAFile()
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "openapi"));

        var problem = Assert.Single(Load("DefinitionUri", "openapi").Validation.Problems);

        Assert.Equal(("Fn", "Properties.DefinitionUri"), (problem.Resource, problem.Property));
        Assert.EndsWith("openapi' is a directory, not a file.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CodeUriMissing_IsProblemAtCodeUri()
    {
        var problem = Assert.Single(Load("CodeUri", "./nowhere").Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri"), (problem.Resource, problem.Property));
        Assert.EndsWith("nowhere' does not exist.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_TemplateFileIsNamedPipe_IsReadAsAnyFile()
    {
        var fifo = Path.Combine(_folder.FullName, "template.yaml");
        Fifo.Make(fifo);
        var writer = Task.Run(() => File.WriteAllText(fifo, "Resources:\n  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }\n"));

        var result = Fifo.Within(fifo, () => TemplateLoader.Load([new TemplateFile(fifo)], TestTemplates.Options()));

        await writer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Single(result.Model.Vpcs);
    }
}
