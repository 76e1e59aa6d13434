using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests.Commands;

/// <summary>How <c>cloister up</c>'s template arguments become stacks, on real template files.</summary>
public sealed class StackTemplatesTests : IDisposable
{
    private const string Template = """
        Parameters:
          Cidr: { Type: String, Default: 10.50.0.0/16 }
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: !Ref Cidr }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("cloister-templates-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Build_TwoTemplatesWithTheSameFileName_SaysHowToNameOne()
    {
        // Before: "Two templates would both be stack 'template'; give one a StackName." — and up had no way to give one.
        var first = Write("hello", "template.yaml");
        var second = Write("nlb", "template.yaml");

        StackTemplates.Build([first, second], [], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal($"{second}: stack 'template' is already {first}; give this one a stack name of its own as NAME=PATH (cloister up ... nlb={second}).", problem);
    }

    [Fact]
    public void Build_NameEqualsPath_DeploysTheTemplateAsThatStack()
    {
        var first = Write("hello", "template.yaml");
        var second = Write("nlb", "template.yaml");

        var (request, loaded) = StackTemplates.Build([first, $"nlb={second}"], ["nlb.Cidr=10.51.0.0/16"], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        Assert.Empty(problems);
        Assert.Equal(["template", "nlb"], loaded.Stacks.Select(s => s.StackName));
        Assert.Equal(second, request.Templates[1].Path);
        Assert.Equal("nlb", request.Templates[1].StackName);
        Assert.Equal("10.51.0.0/16", request.Templates[1].Parameters["Cidr"]);
        Assert.Empty(request.Templates[0].Parameters);
    }

    [Fact]
    public void Build_AccountId_RequestAndLoadedStacksInThatAccount()
    {
        var path = Write("account", "template.yaml");
        File.AppendAllText(path, "\nOutputs:\n  Account: { Value: !Ref AWS::AccountId }\n  Id: { Value: !Ref AWS::StackId }\n");

        var (request, loaded) = StackTemplates.Build([path], [], "eu-central-1", "123456789012", ignoreUnsupported: false, out var problems);

        Assert.Empty(problems);
        Assert.Equal("123456789012", request.AccountId);
        Assert.Equal(new AccountContext("123456789012", "eu-central-1"), loaded.Model.Account);
        var outputs = Assert.Single(loaded.Stacks).Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        Assert.Equal("123456789012", outputs["Account"]);
        Assert.StartsWith("arn:aws:cloudformation:eu-central-1:123456789012:stack/template/", outputs["Id"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("my_stack")]
    public void Build_NameNotAStackName_RefusedWithCloudFormationsRule(string name)
    {
        var path = Write("x", "template.yaml");

        StackTemplates.Build([$"{name}={path}"], [], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal($"{name}={path}: the stack name '{name}' must start with a letter and hold only letters, digits and hyphens (at most 128 characters).", problem);
    }

    [Fact]
    public void Build_VpcsWithOverlappingBlocks_RefusedNamingBoth()
    {
        // Before: accepted, and up failed in its network phase with "nsenter ... failed (1): RTNETLINK answers: File
        // exists" — every sample's VPC is 10.0.0.0/16, so any two samples deployed together did this.
        var first = Write("hello", "template.yaml");
        var second = Write("nlb", "template.yaml");

        StackTemplates.Build([first, $"nlb={second}"], ["nlb.Cidr=10.50.128.0/17"], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal(
            $"{second}: Vpc.Properties.CidrBlock: 10.50.128.0/17 overlaps VPC Vpc of stack template (10.50.0.0/16); AWS allows that for VPCs "
            + "that are not peered, but Cloister's sandbox routes every VPC through one router, so their blocks may not overlap.",
            problem);
    }

    [Fact]
    public void Build_SampleFolder_DeploysItsTemplateAndOnPremisesFileAsTheDefaultStackDoes()
    {
        // Before: "a folder, not a template file; give the template files in it (cloister up …/onprem.yaml
        // …/other-vpc.yaml …/template.yaml)": every file, the other VPC's too, for what sam deploy takes as a project folder.
        var folder = Path.Combine(StackTemplates.RepositoryRoot(), "samples", "seed-architecture");

        var (request, loaded) = StackTemplates.Build([folder], [], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        Assert.Empty(problems);
        Assert.Equal(StackTemplates.DefaultTemplates(), request.Templates.Select(t => t.Path));
        Assert.Equal(["template", "onprem"], loaded.Stacks.Select(s => s.StackName));
    }

    [Fact]
    public void Build_NamedFolderWithoutOnPremisesFile_DeploysItsTemplateAsThatStack()
    {
        var path = Write("hello", "template.yaml");
        Write("hello", "other.yaml");

        var (request, _) = StackTemplates.Build([$"hello={Path.GetDirectoryName(path)}"], [], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        Assert.Empty(problems);
        var template = Assert.Single(request.Templates);
        Assert.Equal(path, template.Path);
        Assert.Equal("hello", template.StackName);
    }

    [Fact]
    public void Build_FolderWithoutTemplateYaml_NamesTheFilesToGive()
    {
        var path = Write("vpcs", "vpc.yaml");
        var folder = Path.GetDirectoryName(path)!;

        StackTemplates.Build([folder], [], "eu-central-1", AccountContext.DefaultAccountId, ignoreUnsupported: false, out var problems);

        Assert.Contains(
            $"{folder}: a folder without a template.yaml (the file a folder stands for, as with sam deploy); give the template files in it (cloister up {path}).",
            problems);
    }

    private string Write(string folder, string name)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_directory, folder)).FullName, name);
        File.WriteAllText(path, Template);
        return path;
    }
}
