using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Templates;

namespace Cloister.Host.Tests.Update;

/// <summary>
/// The state folder's record of its last deployment (<see cref="DeploymentRecord"/>): written whole and read back as the
/// next <c>up</c> aligns its ids with it (<see cref="IdAlignment"/>); a record that cannot be used is ignored with the reason.
/// </summary>
public sealed class DeploymentRecordTests : IDisposable
{
    private const string Template = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.51.0.0/16 } }
          Table: { Type: AWS::DynamoDB::Table, Properties: { BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] } }
          Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Code: { ZipFile: "def handler(e, c):\n    return 1\n" }, Environment: { Variables: { TABLE: !Ref Table } } } }
        Outputs:
          Table: { Value: !Ref Table }
        """;

    private readonly StatePaths _state = new(Directory.CreateTempSubdirectory("cloister-record-").FullName);

    public void Dispose() => Directory.Delete(_state.Root, recursive: true);

    private static TemplateLoadResult Load(string stackName, string region = "eu-central-1")
    {
        var loaded = TemplateLoader.Load([new TemplateFile($"/templates/{stackName}.yaml") { Text = Template, StackName = stackName }], new TemplateLoadOptions { Account = new AccountContext("123456789012", region), Now = DateTimeOffset.UnixEpoch });
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Validation.Problems));
        return loaded;
    }

    [Fact]
    public void Read_WrittenRecord_SameModelStacksAndIdsAlignAgainstIt()
    {
        var first = Load("web");
        DeploymentRecord.Of(first.Model, first.Stacks, previous: null).Write(_state);

        var record = DeploymentRecord.Read(_state, out var ignored);
        var again = Load("web");
        var (model, stacks) = IdAlignment.Align(record!.Model, record.Stacks, again.Model, again.Stacks, IdAlignment.GeneratedTokens(again, Load("web")));

        Assert.Null(ignored);
        Assert.Equal(DeploymentRecord.CurrentFormat, record.Format);
        Assert.Equal(first.Model.Account, record.Model.Account);
        Assert.Equal(first.Stacks[0].StackId, record.Stacks[0].StackId);
        Assert.Equal(first.Stacks[0].Resources.Select(r => (r.LogicalResourceId, r.PhysicalResourceId)), record.Stacks[0].Resources.Select(r => (r.LogicalResourceId, r.PhysicalResourceId)));
        Assert.Equal(first.Model.Tables.Single().TableName, record.Model.Tables.Single().TableName);
        Assert.Equal(first.Stacks[0].Resources.Select(r => r.PhysicalResourceId), stacks[0].Resources.Select(r => r.PhysicalResourceId));
        Assert.Equal(first.Model.Functions.Single().FunctionName, model.Functions.Single().FunctionName);
        Assert.False(File.Exists(DeploymentRecord.PathOf(_state) + ".tmp"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DeploymentRecord.PathOf(_state)));
    }

    [Fact]
    public void Read_RecordWithAFailedDeploysReplacement_ReplacementReadBack()
    {
        var running = Load("web");
        var failed = Load("web");
        var resource = failed.Stacks[0].Resources.Single(r => r.LogicalResourceId == "Table");
        var written = DeploymentRecord.Of(running.Model, running.Stacks, previous: null) with { Replacements = [new TableReplacement("web", resource, failed.Model.Tables.Single())] };
        written.Write(_state);

        var record = DeploymentRecord.Read(_state, out var ignored);

        Assert.Null(ignored);
        var replacement = Assert.Single(record!.Replacements);
        Assert.Equal(("web", "Table", resource.PhysicalResourceId), (replacement.StackName, replacement.Resource.LogicalResourceId, replacement.Resource.PhysicalResourceId));
        Assert.Equal(resource.PhysicalResourceId, replacement.Table.TableName);
    }

    [Fact]
    public void Read_NoRecord_NullAndNothingIgnored()
    {
        var record = DeploymentRecord.Read(_state, out var ignored);

        Assert.Null(record);
        Assert.Null(ignored);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("", "is not valid JSON")]
    [InlineData("[1, 2]", "is not a deployment record of this Cloister")]
    [InlineData("""{ "model": {}, "stacks": [] }""", "is not a deployment record of this Cloister")]
    [InlineData("""{ "format": 99, "model": {}, "stacks": [] }""", "is not a deployment record of this Cloister")]
    [InlineData("""{ "format": 1, "stacks": [] }""", "lacks its model or stacks")]
    [InlineData("""{ "format": 1, "model": {} }""", "lacks its model or stacks")]
    [InlineData("""{ "format": 1, "model": { "tables": 3 }, "stacks": [] }""", "is not valid JSON")]
    public void Read_UnusableRecord_NullWithTheReason(string text, string reason)
    {
        File.WriteAllText(DeploymentRecord.PathOf(_state), text);

        var record = DeploymentRecord.Read(_state, out var ignored);

        Assert.Null(record);
        Assert.Contains(reason, ignored, StringComparison.Ordinal);
        Assert.Contains(DeploymentRecord.PathOf(_state), ignored, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OverAnUnreadableRecord_ReplacesItWhole()
    {
        File.WriteAllText(DeploymentRecord.PathOf(_state), "{ half a rec");
        var loaded = Load("web");

        DeploymentRecord.Of(loaded.Model, loaded.Stacks, previous: null).Write(_state);

        Assert.Equal(loaded.Stacks[0].StackId, DeploymentRecord.Read(_state, out _)!.Stacks.Single().StackId);
    }

    [Fact]
    public void Of_StackNotRunAgain_CarriedOnWithItsTablesUntilItRunsAgain()
    {
        var web = Load("web");
        var jobs = Load("jobs");
        var both = DeploymentRecord.Of(web.Model with { Tables = [.. web.Model.Tables, .. jobs.Model.Tables] }, [.. web.Stacks, .. jobs.Stacks], previous: null);
        var webAgain = Load("web");

        var webOnly = DeploymentRecord.Of(webAgain.Model, webAgain.Stacks, both);
        webOnly.Write(_state);
        var read = DeploymentRecord.Read(_state, out _)!;
        var jobsAgain = DeploymentRecord.Of(jobs.Model, jobs.Stacks, read);

        Assert.Equal(["web"], webOnly.Stacks.Select(s => s.StackName));
        Assert.Equal(jobs.Stacks[0].StackId, Assert.Single(read.EarlierStacks).StackId);
        Assert.Equal(jobs.Model.Tables.Single().TableName, Assert.Single(read.EarlierTables).TableName);
        Assert.Equal(webAgain.Stacks[0].StackId, Assert.Single(jobsAgain.EarlierStacks).StackId);
        Assert.Equal(webAgain.Model.Tables.Single().TableName, Assert.Single(jobsAgain.EarlierTables).TableName);
    }

    [Fact]
    public void Of_PreviousInAnotherRegion_CarriesNothingOn()
    {
        var there = Load("jobs", "us-east-1");
        var here = Load("web");

        var record = DeploymentRecord.Of(here.Model, here.Stacks, DeploymentRecord.Of(there.Model, there.Stacks, previous: null));

        Assert.Empty(record.EarlierStacks);
        Assert.Empty(record.EarlierTables);
    }
}
