using Cloister.Templates.Tests.Code;

namespace Cloister.Templates.Tests.Sam;

/// <summary>
/// A SAM <c>CodeUri</c> given by an intrinsic resolves only once the stack is evaluated, after the transform made it the
/// function's <c>Code</c>; what is wrong with the path it resolves to is still reported at <c>Properties.CodeUri</c>, the
/// property the template's author wrote, as for a CodeUri written as a plain path.
/// </summary>
public sealed class CodeUriIntrinsicTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-codeuri-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>A stack 'app' of one function <c>Fn</c> of <paramref name="type"/> whose code (line 6) is <paramref name="code"/>.</summary>
    private TemplateLoadResult Load(string code, string type = "AWS::Serverless::Function", string? fifo = null)
    {
        var (first, property, others) = type == "AWS::Serverless::Function"
            ? ("Transform: AWS::Serverless-2016-10-31", "CodeUri", new[] { "Handler: index.handler", "Runtime: nodejs20.x" })
            : ("AWSTemplateFormatVersion: \"2010-09-09\"", "Code", ["Handler: index.handler", "Runtime: nodejs20.x", "Role: arn:aws:iam::123456789012:role/r"]);
        string[] lines = [first, "Resources:", "  Fn:", $"    Type: {type}", "    Properties:", $"      {property}: {code}", .. others.Select(o => "      " + o)];
        var file = new TemplateFile(Path.Combine(_folder.FullName, "template.yaml")) { Text = string.Join('\n', lines), StackName = "app" };
        return fifo is null
            ? TemplateLoader.Load([file], TestTemplates.Options())
            : Fifo.Within(fifo, () => TemplateLoader.Load([file], TestTemplates.Options()));
    }

    [Theory]
    [InlineData("!Sub \"${AWS::StackName}/src\"")]
    [InlineData("!Join [\"/\", [!Ref AWS::StackName, src]]")]
    public void Load_IntrinsicCodeUriToMissingPath_ProblemAtCodeUri(string codeUri)
    {
        var problem = Assert.Single(Load(codeUri).Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri", 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal($"'{Path.Combine(_folder.FullName, "app", "src")}' does not exist.", problem.Message);
    }

    [Fact]
    public void Load_IntrinsicCodeUriToFileNotZip_ProblemAtCodeUri()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "app.txt"), "not an archive");

        var problem = Assert.Single(Load("!Sub \"${AWS::StackName}.txt\"").Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri"), (problem.Resource, problem.Property));
        Assert.EndsWith("app.txt' is a file but not a .zip archive; give a folder or a .zip.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IntrinsicCodeUriToNamedPipe_RefusedPromptlyAtCodeUri()
    {
        var fifo = Path.Combine(_folder.FullName, "app.zip");
        Fifo.Make(fifo);

        var problem = Assert.Single(Load("!Sub \"${AWS::StackName}.zip\"", fifo: fifo).Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri"), (problem.Resource, problem.Property));
        Assert.Equal($"'{fifo}' is a named pipe, not a file or directory.", problem.Message);
        Assert.Contains($"Fn.Properties.CodeUri: '{fifo}' is a named pipe", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CodeUriIntrinsicThatFails_ProblemAtCodeUri()
    {
        var problem = Assert.Single(Load("!Select [3, [a, b]]").Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void Load_CodeUriInS3_ProblemAtCodeUriNamingIt()
    {
        var problem = Assert.Single(Load("{ Bucket: b, Key: k.zip }").Validation.Problems);

        Assert.Equal(("Fn", "Properties.CodeUri", 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.StartsWith("Cloister reads no S3; give CodeUri as a local folder or .zip path", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LambdaCodeIntrinsicToMissingPath_ProblemStaysAtCode()
    {
        var problem = Assert.Single(Load("!Sub \"${AWS::StackName}/src\"", type: "AWS::Lambda::Function").Validation.Problems);

        Assert.Equal(("Fn", "Properties.Code"), (problem.Resource, problem.Property));
        Assert.EndsWith("src' does not exist.", problem.Message, StringComparison.Ordinal);
    }
}
