namespace Cloister.Templates.Tests;

public class TemplateLoaderTests
{
    [Fact]
    public void Load_SameSeed_GivesSameIds()
    {
        var path = TestTemplates.DataPath("seed-architecture", "template.yaml");
        var first = TemplateLoader.Load([new TemplateFile(path)], TestTemplates.Options());
        var second = TemplateLoader.Load([new TemplateFile(path)], TestTemplates.Options());
        Assert.Equal(first.Model.Vpcs.Select(v => v.Id), second.Model.Vpcs.Select(v => v.Id));
        Assert.Equal(first.Model.RestApis.Single().Policy, second.Model.RestApis.Single().Policy);
        Assert.Equal(first.Stacks.Single().StackId, second.Stacks.Single().StackId);
    }

    [Fact]
    public void Load_TwoTemplatesSameStackName_IsProblem()
    {
        var text = "Resources:\n  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }\n";
        var result = TemplateLoader.Load([new TemplateFile("a/net.yaml") { Text = text }, new TemplateFile("b/net.yaml") { Text = text }], TestTemplates.Options());
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Contains("stack 'net'", problem.Message, StringComparison.Ordinal);
        Assert.Equal("b/net.yaml", problem.Location!.File);
    }

    [Fact]
    public void Load_MissingFile_IsProblemNamingIt()
    {
        var result = TemplateLoader.Load([new TemplateFile("does-not-exist.yaml")], TestTemplates.Options());
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal("does-not-exist.yaml", problem.Location!.File);
        Assert.StartsWith("Cannot read the template", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\0b.yaml")]
    [InlineData("")]
    public void Load_PathFileMethodsRefuse_IsProblemNotException(string path)
    {
        foreach (var template in new[] { new TemplateFile(path), new TemplateFile(path) { Text = "Resources: {}" } })
        {
            var problem = Assert.Single(TemplateLoader.Load([template], TestTemplates.Options()).Validation.Problems);
            Assert.Contains("not empty and without NUL characters", problem.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("templates/seed-architecture.yaml", "seed-architecture")]
    [InlineData("my_stack.json", "my-stack")]
    [InlineData("1st.yaml", "stack-1st")]
    public void DefaultStackName_FileName_IsValidStackName(string path, string expected) =>
        Assert.Equal(expected, TemplateLoader.DefaultStackName(path));

    [Fact]
    public void Load_DeletionAndUpdateReplacePolicies_CarriedOnTheStacksResourcesNullWhereNotWritten()
    {
        var table = TestTemplates.TableProperties;
        var result = TestTemplates.LoadValid($"Resources:\n  Kept: {{ Type: AWS::DynamoDB::Table, DeletionPolicy: Retain, UpdateReplacePolicy: Snapshot, Properties: {table} }}\n  Plain: {{ Type: AWS::DynamoDB::Table, Properties: {table} }}\n");

        var resources = Assert.Single(result.Stacks).Resources.ToDictionary(r => r.LogicalResourceId, StringComparer.Ordinal);
        Assert.Equal(("Retain", "Snapshot", false), (resources["Kept"].DeletionPolicy, resources["Kept"].UpdateReplacePolicy, resources["Kept"].DeletesWhenRemoved));
        Assert.Equal(((string?)null, (string?)null, true), (resources["Plain"].DeletionPolicy, resources["Plain"].UpdateReplacePolicy, resources["Plain"].DeletesWhenRemoved));
    }
}
