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

    [Theory]
    [InlineData("--kind", "nope")]
    [InlineData("--contex", "aws:SourceVpce=vpce-0ac4147ba9386c9z7")]
    [InlineData("--principal")]
    public async Task PolicyEval_ArgumentTheParserRefuses_ExitsTwoNotDeny(params string[] bad)
    {
        // Before: System.CommandLine's exit code 1, which is this verb's "Deny": a typo read as a policy's decision.
        var policy = Write(SeedPolicy);

        var (exitCode, _, error) = await CliRunner.RunAsync(["policy", "eval", "--policy", policy, "--resource", Resource, .. bad]);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: cloister policy eval --policy FILE --resource ARN", error, StringComparison.Ordinal);
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

    private const string EndpointPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowApi", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
             "Resource": "arn:aws:execute-api:eu-central-1:111122223333:abc123/*"},
            {"Sid": "DenyOtherAccounts", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}, "Null": {"aws:PrincipalAccount": "false"}}}
          ]
        }
        """;

    [Theory]
    [InlineData("111122223333", 0, "Allow", "Deciding statements: AllowApi (Allow)")]
    [InlineData("444455556666", 1, "ExplicitDeny", "Deciding statements: DenyOtherAccounts (Deny)")]
    public async Task PolicyEval_EndpointKindCallerAccount_DecidesAndExits(string account, int expectedExit, string decision, string deciding)
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", Write(EndpointPolicy),
            "--resource", Resource, "--principal", $"arn:aws:sts::{account}:assumed-role/R/s");

        Assert.Equal(expectedExit, exitCode);
        Assert.StartsWith(decision, output, StringComparison.Ordinal);
        Assert.Contains(deciding, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_EndpointKindOtherApi_PrintsImplicitDenyAndExitsOne()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", Write(EndpointPolicy),
            "--resource", "arn:aws:execute-api:eu-central-1:111122223333:other1/dev/GET/claim", "--json");

        Assert.Equal(1, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("ImplicitDeny", document.RootElement.GetProperty("decision").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("decidingStatements").GetArrayLength());
    }

    [Fact]
    public async Task PolicyEval_EndpointKindWithoutPrincipal_ListsProblemWithPathAndExitsTwo()
    {
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");

        var text = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", policy, "--resource", Resource);
        var json = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", policy, "--resource", Resource, "--json");

        Assert.Equal(2, text.ExitCode);
        Assert.Contains("Statement[0]: Missing required field Principal", text.Error, StringComparison.Ordinal);
        Assert.Equal(2, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Contains(document.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("path").GetString() == "Statement[0]"
            && p.GetProperty("message").GetString()!.StartsWith("Missing required field Principal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PolicyEval_EndpointKindOverLimitCountingWhitespace_RefusesWithSizeMessage()
    {
        // Indentation is free for an API's resource policy but counts towards an endpoint policy's 20,480 characters.
        var padded = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}" + new string(' ', 20_480);
        var policy = Write(padded);

        var asEndpoint = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", policy, "--resource", Resource);
        var asApi = await CliRunner.RunAsync("policy", "eval", "--kind", "api", "--policy", policy, "--resource", Resource);

        Assert.Equal(2, asEndpoint.ExitCode);
        Assert.Contains($"Policy document is {padded.Length} characters long; the limit is 20480 (whitespace included).", asEndpoint.Error, StringComparison.Ordinal);
        Assert.Equal(0, asApi.ExitCode);
    }

    [Fact]
    public async Task PolicyEval_EndpointKindOverApiLimit_IsEvaluated()
    {
        // 9,000 characters of Sid: over an API resource policy's 8,192, within an endpoint policy's 20,480.
        var policy = Write($$"""{"Version":"2012-10-17","Statement":[{"Sid":"{{new string('A', 9_000)}}","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}""");

        var asEndpoint = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", policy, "--resource", Resource);
        var asApi = await CliRunner.RunAsync("policy", "eval", "--kind", "api", "--policy", policy, "--resource", Resource);

        Assert.Equal(0, asEndpoint.ExitCode);
        Assert.Equal(2, asApi.ExitCode);
    }

    [Fact]
    public async Task PolicyEval_AuthorizerKindSidWithHyphen_IsEvaluatedAsTheGatewayReadsIt()
    {
        // An authorizer's policy is read by API Gateway, not IAM: IAM's alphanumeric Sid rule does not apply to it.
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Sid":"allow-invoke","Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}""");

        var (exitCode, output, error) = await CliRunner.RunAsync("policy", "eval", "--kind", "authorizer", "--policy", policy, "--resource", Resource);

        Assert.True(exitCode == 0, error);
        Assert.Contains("allow-invoke (Allow)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_EndpointKindShorthand_RefusedWithPath()
    {
        // An endpoint serves every API, so there is no API to expand execute-api:/... against.
        var policy = Write("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""");

        var (exitCode, _, error) = await CliRunner.RunAsync("policy", "eval", "--kind", "endpoint", "--policy", policy, "--resource", Resource);

        Assert.Equal(2, exitCode);
        Assert.Contains("Statement[0].Resource", error, StringComparison.Ordinal);
        Assert.Contains("execute-api shorthand", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEvalHelp_KindOption_ListsEndpoint()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("policy", "eval", "--help");

        Assert.Equal(0, exitCode);
        var kindLine = output.Split('\n').Single(line => line.TrimStart().StartsWith("--kind", StringComparison.Ordinal));
        Assert.Contains("endpoint", kindLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyEval_MissingFile_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("policy", "eval", "--policy", Path.Combine(_directory, "absent.json"), "--resource", Resource);

        Assert.Equal(2, exitCode);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }
}
