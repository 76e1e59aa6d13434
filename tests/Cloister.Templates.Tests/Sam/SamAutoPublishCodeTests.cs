namespace Cloister.Templates.Tests.Sam;

/// <summary>
/// The version <c>AutoPublishAlias</c> publishes for a local <c>CodeUri</c>: SAM CLI uploads the code under a key made
/// from its content before SAM hashes the S3 location into the version's logical id, so changed code is a new version
/// and unchanged code the same one.
/// </summary>
public sealed class SamAutoPublishCodeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-autopublish-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The logical id of the version published for function <c>Fn</c> whose CodeUri is <paramref name="codeUri"/>.</summary>
    private string VersionId(string codeUri, string sections = "")
    {
        var text = $"""
            Transform: AWS::Serverless-2016-10-31
            {sections}
            Resources:
              Fn: {"{"} Type: AWS::Serverless::Function, Properties: {"{"} CodeUri: {codeUri}, Handler: index.handler, Runtime: nodejs20.x, AutoPublishAlias: live {"}"} {"}"}
            """;
        var result = TemplateLoader.Load([new TemplateFile(Path.Combine(_folder.FullName, "template.yaml")) { Text = text, StackName = "app" }], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        return Assert.Single(result.Stacks.Single().Resources, r => r.ResourceType == "AWS::Lambda::Version").LogicalResourceId;
    }

    [Fact]
    public void AutoPublishAlias_LocalFolderCodeChanges_PublishesANewVersion()
    {
        var src = Directory.CreateDirectory(Path.Combine(_folder.FullName, "src"));
        File.WriteAllText(Path.Combine(src.FullName, "index.js"), "exports.handler = async () => 1;");
        var first = VersionId("src");
        var again = VersionId("src");

        File.WriteAllText(Path.Combine(src.FullName, "index.js"), "exports.handler = async () => 2;");
        var changed = VersionId("src");

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Matches("^FnVersion[0-9a-f]{10}$", changed);
    }

    [Fact]
    public void AutoPublishAlias_LocalZipCodeChanges_PublishesANewVersion()
    {
        var zip = Path.Combine(_folder.FullName, "fn.zip");
        File.WriteAllBytes(zip, [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]);
        var first = VersionId("fn.zip");

        File.WriteAllBytes(zip, [0x50, 0x4B, 0x05, 0x06, .. new byte[17], 1]);

        Assert.NotEqual(first, VersionId("fn.zip"));
    }

    [Theory]
    [InlineData("!Sub \"${AWS::StackName}/src\"")]
    [InlineData("!Join [\"/\", [!Ref AWS::StackName, src]]")]
    [InlineData("!If [IsProd, !Sub \"${Folder}/src\", other]")]
    public void AutoPublishAlias_IntrinsicCodeUriCodeChanges_PublishesANewVersion(string codeUri)
    {
        // The CodeUri is resolved from parameters, pseudo parameters and conditions, as the stack would resolve it, before
        // its content enters the hash.
        const string Sections = """
            Parameters: { Env: { Type: String, Default: prod }, Folder: { Type: String, Default: app } }
            Conditions: { IsProd: !Equals [!Ref Env, prod] }
            """;
        var src = Directory.CreateDirectory(Path.Combine(_folder.FullName, "app", "src"));
        File.WriteAllText(Path.Combine(src.FullName, "index.js"), "exports.handler = async () => 1;");
        var first = VersionId(codeUri, Sections);
        var again = VersionId(codeUri, Sections);

        File.WriteAllText(Path.Combine(src.FullName, "index.js"), "exports.handler = async () => 2;");

        Assert.Equal(first, again);
        Assert.NotEqual(first, VersionId(codeUri, Sections));
    }

    [Fact]
    public void AutoPublishAlias_IntrinsicCodeUri_SameVersionAsThePathWrittenOut()
    {
        var src = Directory.CreateDirectory(Path.Combine(_folder.FullName, "app", "src"));
        File.WriteAllText(Path.Combine(src.FullName, "index.js"), "exports.handler = async () => 1;");

        Assert.Equal(VersionId("app/src"), VersionId("!Sub \"${AWS::StackName}/src\""));
    }
}
