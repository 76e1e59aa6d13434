using System.Net;
using System.Text.Json;
using Cloister.Functions.Ssm;
using Cloister.Functions.Sts;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;

namespace Cloister.Functions.Tests.Sts;

/// <summary>
/// AssumeRole's session policies end to end: the AWS CLI v2 assumes a role with <c>--policy</c> / <c>--policy-arns</c>,
/// then calls Parameter Store with the session it got, whose every call is judged by the role's policies and the session
/// policies together; and the checks STS makes of the session policies before it issues anything.
/// </summary>
public sealed class StsSessionPolicyTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string CallerKey = "ASIAMAYASSUME0000002";
    private const string OperatorArn = $"arn:aws:iam::{Account}:role/Operator";
    private const string ReadOnlyArn = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess";
    private const string OnlyGetParameter = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""";

    private static readonly CloudModel Model = new()
    {
        Account = new AccountContext(Account, Region),
        Roles =
        [
            new IamRole("OperatorRole", "Operator", OperatorArn, "AROAOPERATOR00000001", [new RolePolicy("ssm", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:PutParameter"],"Resource":"*"}]}""")])
            {
                AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""",
            },
            new IamRole("AuditorRole", "Auditor", $"arn:aws:iam::{Account}:role/Auditor", "AROAAUDITOR000000001", [new RolePolicy(ReadOnlyArn, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]}""")]),
        ],
    };

    private readonly TestHome _home = new("cloister-sts-session-");
    private readonly CallerDirectory _directory = CallerDirectory.Build(Model);
    private StsServer? _sts;
    private SsmServer? _ssm;

    public async Task InitializeAsync()
    {
        Func<string, Cloister.Policy.CallerIdentity?> callers = key => key == CallerKey ? TestCallers.RoleSession("Chooser", "\"sts:AssumeRole\"") : _directory.Find(key);
        _sts = await StsServer.StartAsync(new StsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Callers = callers,
            AssumeRole = _directory.AssumeRole,
        });
        _ssm = await SsmServer.StartAsync(new SsmOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Account = Model.Account,
            Access = new SsmAccess { Callers = callers },
            DataDirectory = Path.Combine(_home.Folder, "ssm"),
            Seeds = [new ParameterSeed("/app/url", "String", "https://app")],
        });
    }

    public async Task DisposeAsync()
    {
        if (_sts is not null)
        {
            await _sts.DisposeAsync();
        }

        if (_ssm is not null)
        {
            await _ssm.DisposeAsync();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task AssumeRole_SessionPolicyAllowingOnlyGetParameter_PutParameterDeniedBecauseNoSessionPolicyAllowsIt()
    {
        var (keyId, secret, answer) = await AssumeAsync("--policy", OnlyGetParameter);

        var get = await SsmAsync(keyId, secret, "get-parameter", "--name", "/app/url");
        var put = await SsmAsync(keyId, secret, "put-parameter", "--name", "/app/url", "--value", "https://other", "--overwrite");

        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Contains("\"Value\": \"https://app\"", get.Output, StringComparison.Ordinal);
        Assert.Equal(254, put.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the PutParameter operation: User: arn:aws:sts::{Account}:assumed-role/Operator/limited is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:{Region}:{Account}:parameter/app/url because no session policy allows the ssm:PutParameter action",
            put.Error,
            StringComparison.Ordinal);
        Assert.True(answer.TryGetProperty("PackedPolicySize", out var packed), answer.ToString());
        Assert.InRange(packed.GetInt32(), 1, 100);
    }

    [Fact]
    public async Task AssumeRole_SessionPolicyWithAnExplicitDeny_DeniedWithAnExplicitDenyInASessionPolicy()
    {
        var (keyId, secret, _) = await AssumeAsync("--policy", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"*"},{"Effect":"Deny","Action":"ssm:GetParameter","Resource":"*"}]}""");

        var get = await SsmAsync(keyId, secret, "get-parameter", "--name", "/app/url");

        Assert.Equal(254, get.ExitCode);
        Assert.Contains("on resource: arn:aws:ssm:" + Region + ":" + Account + ":parameter/app/url with an explicit deny in a session policy", get.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_ManagedSessionPolicyByArn_SessionLimitedToIt()
    {
        var (keyId, secret, _) = await AssumeAsync("--policy-arns", $"arn={ReadOnlyArn}");

        var put = await SsmAsync(keyId, secret, "put-parameter", "--name", "/app/new", "--value", "v", "--type", "String");
        var get = await SsmAsync(keyId, secret, "get-parameter", "--name", "/app/url");

        Assert.Equal(254, put.ExitCode);
        Assert.Contains("because no session policy allows the ssm:PutParameter action", put.Error, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.Error);
    }

    [Fact]
    public async Task AssumeRole_NoSessionPolicy_SessionHasTheRolesPermissions()
    {
        var (keyId, secret, answer) = await AssumeAsync();

        var put = await SsmAsync(keyId, secret, "put-parameter", "--name", "/app/new", "--value", "v", "--type", "String");

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.False(answer.TryGetProperty("PackedPolicySize", out _));
    }

    [Theory]
    [InlineData("Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ssm%3AGetParameter%22%7D%5D%7D", "MalformedPolicyDocument", "Statement[0]: Policy statement must contain resources.")]
    [InlineData("Policy=not-json", "MalformedPolicyDocument", null)]
    [InlineData("PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2FMadeElsewhere", "InvalidParameterValue", "Policy arn:aws:iam::123456789012:policy/MadeElsewhere does not exist or is not attachable.")]
    public async Task AssumeRole_SessionPolicyStsRefuses_400WithItsCode(string parameters, string code, string? message)
    {
        using var response = await PostAsync($"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(OperatorArn)}&RoleSessionName=tutorial&{parameters}");
        var (type, actualCode, actualMessage) = StsError(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("Sender", code), (type, actualCode));
        if (message is not null)
        {
            Assert.Equal(message, actualMessage);
        }
    }

    [Fact]
    public async Task AssumeRole_PolicyOver2048Characters_ValidationError()
    {
        var policy = OnlyGetParameter.Replace("\"Resource\":\"*\"", "\"Resource\":\"*\"" + new string(' ', 2048), StringComparison.Ordinal);

        using var response = await PostAsync($"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(OperatorArn)}&RoleSessionName=tutorial&Policy={Uri.EscapeDataString(policy)}");
        var error = StsError(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("Sender", "ValidationError"), (error.Type, error.Code));
        Assert.EndsWith("at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_ElevenPolicyArns_ValidationError()
    {
        var arns = string.Concat(Enumerable.Range(1, 11).Select(i => $"&PolicyArns.member.{i}.arn={Uri.EscapeDataString(ReadOnlyArn)}"));

        using var response = await PostAsync($"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(OperatorArn)}&RoleSessionName=tutorial{arns}");
        var error = StsError(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationError", error.Code);
        Assert.EndsWith("at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_PolicyAndArnsOverThePackedAllowance_PackedPolicyTooLarge()
    {
        var resources = string.Join(",", Enumerable.Range(0, 34).Select(i => $"\"arn:aws:ssm:{Region}:{Account}:parameter/app/{i:D2}\""));
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":[{{resources}}]}]}""";
        var arns = string.Concat(Enumerable.Range(1, 4).Select(i => $"&PolicyArns.member.{i}.arn={Uri.EscapeDataString(ReadOnlyArn)}"));
        Assert.InRange(policy.Length, 1800, 2048);

        using var response = await PostAsync($"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(OperatorArn)}&RoleSessionName=tutorial&Policy={Uri.EscapeDataString(policy)}{arns}");
        var error = StsError(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PackedPolicyTooLarge", error.Code);
        Assert.Matches(@"^Packed policy consumes 1[0-9]{2}% of allotted space, please use smaller policy\.$", error.Message);
    }

    private async Task<(string KeyId, string Secret, JsonElement Answer)> AssumeAsync(params string[] more)
    {
        var assumed = await AwsAsync(CallerKey, TestCallers.Secret, ["sts", "assume-role", "--role-arn", OperatorArn, "--role-session-name", "limited", .. more, "--endpoint-url", _sts!.Urls[0].ToString()]);
        Assert.True(assumed.ExitCode == 0, assumed.Error);
        var answer = JsonDocument.Parse(assumed.Output).RootElement.Clone();
        var credentials = answer.GetProperty("Credentials");
        return (credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, answer);
    }

    private Task<(int ExitCode, string Output, string Error)> SsmAsync(string keyId, string secret, params string[] arguments) =>
        AwsAsync(keyId, secret, ["ssm", .. arguments, "--endpoint-url", _ssm!.Urls[0].ToString()]);

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string key, string secret, string[] arguments) =>
        _home.Cli(Region).RunAsync(key, secret, arguments);

    private Task<HttpResponseMessage> PostAsync(string form) => StsQuery.PostAsync(_sts!.Urls[0], _home.Certificate, CallerKey, form);

    private static (string? Type, string? Code, string? Message) StsError(string xml) => StsQuery.Error(xml);
}
