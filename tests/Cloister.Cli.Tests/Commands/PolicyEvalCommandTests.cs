using System.Text.Json;

namespace Cloister.Cli.Tests.Commands;

public sealed class PolicyEvalCommandTests : IDisposable
{
    private const string Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";

    private const string SeedPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowInvoke", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
            {"Sid": "DenyOutsideVpce", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0ac4147ba9386c9z7"}}}
          ]
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("cloister-policy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task PolicyEval_AllowedEndpoint_PrintsAllowAndExitsZero()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--policy", Write(SeedPolicy), "--action", "execute-api:Invoke",
            "--resource", Resource, "--context", "aws:SourceVpce=vpce-0ac4147ba9386c9z7");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Allow", output, StringComparison.Ordinal);
        Assert.Contains("Deciding statements: AllowInvoke (Allow)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_OtherEndpoint_PrintsExplicitDenyAndExitsOne()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--policy", Write(SeedPolicy), "--resource", Resource,
            "--context", "aws:SourceVpce=vpce-0123");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("ExplicitDeny", output, StringComparison.Ordinal);
        Assert.Contains("DenyOutsideVpce (Deny)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_OtherStage_PrintsImplicitDenyAndExitsOne()
    {
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*"}]}""");

        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("ImplicitDeny", output, StringComparison.Ordinal);
        Assert.Contains("Resource does not cover", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_Json_PrintsDecisionAndStatements()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--policy", Write(SeedPolicy), "--resource", Resource, "--json");

        Assert.Equal(1, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("ExplicitDeny", document.RootElement.GetProperty("decision").GetString());
        var deciding = document.RootElement.GetProperty("decidingStatements");
        Assert.Equal(1, deciding.GetArrayLength());
        Assert.Equal("DenyOutsideVpce", deciding[0].GetProperty("sid").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("statements").GetArrayLength());
    }

    [Fact]
    public async Task PolicyEval_MalformedPolicy_ListsProblemsAndExitsTwo()
    {
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEqual":{"aws:SourceVpce":"x"}}}]}""");

        var (exitCode, _, error) = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource);

        Assert.Equal(2, exitCode);
        Assert.Contains("Statement[1].Condition.StringEqual: unknown condition operator", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_MalformedPolicyAsJson_ListsProblemsWithPaths()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--policy", Write("""{"Statement":[{"Effect":"Maybe"}]}"""), "--resource", Resource, "--json");

        Assert.Equal(2, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("MalformedPolicyDocument", document.RootElement.GetProperty("decision").GetString());
        Assert.Contains(document.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("path").GetString() == "Statement[0].Effect");
    }

    [Fact]
    public async Task PolicyEval_RepeatedContextKey_IsMultiValued()
    {
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}}]}""");

        var allowed = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource, "--context", "aws:TagKeys=env", "--context", "aws:TagKeys=team");
        var denied = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource, "--context", "aws:TagKeys=env", "--context", "aws:TagKeys=cost");

        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(1, denied.ExitCode);
    }

    [Fact]
    public async Task PolicyEval_Principal_IsMatchedAgainstPrincipalElement()
    {
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""");

        var allowed = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource, "--principal", "arn:aws:sts::444455556666:assumed-role/R/s");
        var anonymous = await CliRunner.RunAsync("policy", "eval", "--policy", policy, "--resource", Resource);

        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(1, anonymous.ExitCode);
    }

    [Theory]
    [InlineData("--context", "no-equals-sign")]
    [InlineData("--context", "aws:CurrentTime=soon")]
    [InlineData("--principal", "not-an-arn")]
    public async Task PolicyEval_BadRequestDescription_ExitsTwo(string option, string value)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("policy", "eval", "--policy", Write(SeedPolicy), "--resource", Resource, option, value);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("policy eval: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_MissingFile_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("policy", "eval", "--policy", Path.Combine(_directory, "absent.json"), "--resource", Resource);

        Assert.Equal(2, exitCode);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }
}
