using System.Net;
using System.Text.Json;
using Cloister.Functions.Sts;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;

namespace Cloister.Functions.Tests.Sts;

/// <summary>
/// STS's AssumeRole over HTTPS with the sandbox's real <see cref="CallerDirectory"/>: the AWS CLI v2 assumes a role of
/// the model and signs its next call with the session it got, as a user chains roles. The roles' trust policies are
/// judged as IAM judges them: one naming the caller's role or everyone is enough by itself, one naming the account needs
/// the caller's identity policy too; the session's length is held to the role's and role chaining's limits. (Target has
/// no trust policy: a role built in code trusts whoever its caller's policies let assume it.)
/// </summary>
public sealed class StsAssumeRoleTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string AllowedKey = "ASIAMAYASSUME0000001";
    private const string DeniedKey = "ASIAMAYNOTASSUME0001";
    private const string TargetArn = $"arn:aws:iam::{Account}:role/Target";

    private static readonly CloudModel Model = new()
    {
        Account = new AccountContext(Account, Region),
        Roles =
        [
            new IamRole("TargetRole", "Target", TargetArn, "AROATARGETROLE000001", [new RolePolicy("read", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")]),
            Role("TrustsReader", $$"""{"AWS":"arn:aws:iam::{{Account}}:role/Reader"}"""),
            Role("TrustsAccount", $$"""{"AWS":"arn:aws:iam::{{Account}}:root"}"""),
            Role("TrustsEveryone", """{"AWS":"*"}"""),
            Role("TrustsOther", $$"""{"AWS":"arn:aws:iam::{{Account}}:role/Other"}"""),
            Role("NeedsExternalId", $$"""{"AWS":"{{Account}}"}""", ""","Condition":{"StringEquals":{"sts:ExternalId":"secret-42"}}"""),
            Role("LongSessions", """{"AWS":"*"}""") with { MaxSessionDuration = 43200 },
        ],
    };

    private readonly TestHome _home = new("cloister-sts-assume-");
    private readonly ShiftedClock _clock = new();
    private readonly CallerDirectory _directory = CallerDirectory.Build(Model);
    private StsServer? _server;

    public async Task InitializeAsync()
    {
        _server = await StsServer.StartAsync(new StsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Callers = key => key switch
            {
                AllowedKey => TestCallers.RoleSession("Chooser", $"\"sts:AssumeRole\""),
                DeniedKey => TestCallers.RoleSession("Reader", "\"s3:GetObject\""),
                _ => _directory.Find(key),
            },
            AssumeRole = _directory.AssumeRole,
            TimeProvider = _clock,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task AssumeRole_AllowedCaller_NewSessionWhoseCredentialsSignAsTheAssumedRole()
    {
        var assumed = await AwsAsync(AllowedKey, TestCallers.Secret, "sts", "assume-role", "--role-arn", TargetArn, "--role-session-name", "tutorial", "--duration-seconds", "900");

        Assert.True(assumed.ExitCode == 0, assumed.Error);
        using var answer = JsonDocument.Parse(assumed.Output);
        var credentials = answer.RootElement.GetProperty("Credentials");
        var user = answer.RootElement.GetProperty("AssumedRoleUser");
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Target/tutorial", user.GetProperty("Arn").GetString());
        Assert.Equal("AROATARGETROLE000001:tutorial", user.GetProperty("AssumedRoleId").GetString());
        var expiration = DateTimeOffset.Parse(credentials.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(16));
        var keyId = credentials.GetProperty("AccessKeyId").GetString()!;
        Assert.StartsWith("ASIA", keyId, StringComparison.Ordinal);

        var identity = await AwsAsync(keyId, credentials.GetProperty("SecretAccessKey").GetString()!, "sts", "get-caller-identity");
        Assert.True(identity.ExitCode == 0, identity.Error);
        Assert.Contains($"\"Arn\": \"arn:aws:sts::{Account}:assumed-role/Target/tutorial\"", identity.Output, StringComparison.Ordinal);
        Assert.Single(_directory.Find(keyId).IdentityPolicies);
    }

    [Fact]
    public async Task GetCallerIdentity_AssumedSessionPastItsDurationSeconds_ExpiredToken()
    {
        var assumed = await AwsAsync(AllowedKey, TestCallers.Secret, "sts", "assume-role", "--role-arn", TargetArn, "--role-session-name", "brief", "--duration-seconds", "900");
        Assert.True(assumed.ExitCode == 0, assumed.Error);
        using var answer = JsonDocument.Parse(assumed.Output);
        var credentials = answer.RootElement.GetProperty("Credentials");
        var keyId = credentials.GetProperty("AccessKeyId").GetString()!;
        var secret = credentials.GetProperty("SecretAccessKey").GetString()!;

        // Ten minutes on the session still works (the CLI takes seconds to start: the margin is for it); past 900 s it does not.
        _clock.Offset = TimeSpan.FromMinutes(10);
        var fresh = await AwsAsync(keyId, secret, "sts", "get-caller-identity");
        _clock.Offset = TimeSpan.FromSeconds(901);
        var expired = await AwsAsync(keyId, secret, "sts", "get-caller-identity");

        Assert.True(fresh.ExitCode == 0, fresh.Error);
        Assert.Equal(254, expired.ExitCode);
        Assert.Contains("An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired", expired.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_CallerWithoutAnAllowingPolicy_AccessDenied()
    {
        var aws = await AwsAsync(DeniedKey, TestCallers.Secret, "sts", "assume-role", "--role-arn", TargetArn, "--role-session-name", "tutorial");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains($"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: sts:AssumeRole on resource: {TargetArn}", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_RoleNotInTheModel_AccessDenied()
    {
        var aws = await AwsAsync(AllowedKey, TestCallers.Secret, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/Nowhere", "--role-session-name", "tutorial");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains($"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::{Account}:assumed-role/Chooser/session is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{Account}:role/Nowhere", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_DurationOverTwelveHours_ValidationError()
    {
        var aws = await AwsAsync(AllowedKey, TestCallers.Secret, "sts", "assume-role", "--role-arn", TargetArn, "--role-session-name", "tutorial", "--duration-seconds", "50000");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesTheCallersRole_IssuedWithoutAnIdentityPolicy()
    {
        var aws = await AssumeAsync(DeniedKey, "TrustsReader");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/TrustsReader/tutorial", answer.RootElement.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesEveryone_IssuedWithoutAnIdentityPolicy()
    {
        var aws = await AssumeAsync(DeniedKey, "TrustsEveryone");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains("assumed-role/TrustsEveryone/tutorial", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesTheAccountAndIdentityPolicyAllows_Issued()
    {
        var aws = await AssumeAsync(AllowedKey, "TrustsAccount");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains("assumed-role/TrustsAccount/tutorial", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesTheAccountButNoIdentityPolicyAllows_AccessDenied()
    {
        var aws = await AssumeAsync(DeniedKey, "TrustsAccount");

        AssertDenied(aws, "Reader", "TrustsAccount");
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesAnotherRole_AccessDeniedThoughIdentityPolicyAllows()
    {
        var aws = await AssumeAsync(AllowedKey, "TrustsOther");

        AssertDenied(aws, "Chooser", "TrustsOther");
    }

    [Fact]
    public async Task AssumeRole_ExternalIdTheTrustPolicyAsksFor_Issued()
    {
        var aws = await AssumeAsync(AllowedKey, "NeedsExternalId", "--external-id", "secret-42");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains("assumed-role/NeedsExternalId/tutorial", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_ExternalIdMissingOrWrong_AccessDenied()
    {
        var missing = await AssumeAsync(AllowedKey, "NeedsExternalId");
        var wrong = await AssumeAsync(AllowedKey, "NeedsExternalId", "--external-id", "secret-43");

        AssertDenied(missing, "Chooser", "NeedsExternalId");
        AssertDenied(wrong, "Chooser", "NeedsExternalId");
    }

    [Fact]
    public async Task AssumeRole_ExternalIdWithASpace_ValidationError()
    {
        var aws = await AssumeAsync(AllowedKey, "NeedsExternalId", "--external-id", "secret 42");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains(@"An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value 'secret 42' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_SourceIdentityTheTrustPolicyDoesNotAllowSetting_AccessDeniedForSetSourceIdentity()
    {
        var aws = await AssumeAsync(DeniedKey, "TrustsEveryone", "--source-identity", "alice");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains($"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: sts:SetSourceIdentity on resource: {RoleArn("TrustsEveryone")}", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_DurationOverTheRolesMaxSessionDuration_ValidationError()
    {
        var aws = await AssumeAsync(AllowedKey, "TrustsEveryone", "--duration-seconds", "7200");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_RoleChainingOverAnHour_ValidationError()
    {
        var aws = await AssumeAsync(AllowedKey, "LongSessions", "--duration-seconds", "7200");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_RoleChainingForAnHour_IssuedAndItsSessionMayChainAgain()
    {
        var first = await AssumeAsync(AllowedKey, "LongSessions", "--duration-seconds", "3600");
        Assert.True(first.ExitCode == 0, first.Error);
        using var answer = JsonDocument.Parse(first.Output);
        var credentials = answer.RootElement.GetProperty("Credentials");

        // The new session's identity policies (none) do not allow sts:AssumeRole, but the trust policy names everyone.
        var second = await AwsAsync(credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, "sts", "assume-role", "--role-arn", RoleArn("TrustsEveryone"), "--role-session-name", "again");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("assumed-role/TrustsEveryone/again", second.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RoleArn=role%2FTarget&RoleSessionName=tutorial", "1 validation error detected: Value 'role/Target' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20")]
    [InlineData("RoleArn=&RoleSessionName=", @"3 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value '' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    [InlineData("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FTarget&RoleSessionName=tutorial&DurationSeconds=99999999999", "1 validation error detected: Value '99999999999' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")]
    [InlineData("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FTarget&RoleSessionName=tutorial&DurationSeconds=soon", "1 validation error detected: Value 'soon' at 'durationSeconds' failed to satisfy constraint: Member must be a whole number of seconds")]
    [InlineData("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FTarget&RoleSessionName=t%C3%BCtorial", @"1 validation error detected: Value 'tütorial' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*")]
    [InlineData("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FTarget&RoleSessionName=tutorial%0A", @"1 validation error detected: Value 'tutorial
' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*")]
    [InlineData("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FTarget&RoleSessionName=a%20b&DurationSeconds=60", @"2 validation errors detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*; Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")]
    public async Task AssumeRole_ParametersOutsideTheirConstraints_400ValidationErrorListingEach(string parameters, string message)
    {
        using var response = await PostAsync("Action=AssumeRole&Version=2011-06-15&" + parameters);
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("Sender", "ValidationError", message), StsError(xml));
    }

    [Fact]
    public async Task AssumeRole_RoleArnAbsent_400MissingParameter()
    {
        using var response = await PostAsync("Action=AssumeRole&Version=2011-06-15&RoleSessionName=tutorial");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("Sender", "MissingParameter", "The request must contain the parameter RoleArn"), StsError(await response.Content.ReadAsStringAsync()));
    }

    private Task<HttpResponseMessage> PostAsync(string form) => StsQuery.PostAsync(_server!.Urls[0], _home.Certificate, AllowedKey, form);

    private static (string? Type, string? Code, string? Message) StsError(string xml) => StsQuery.Error(xml);

    private static IamRole Role(string name, string principal, string condition = "") =>
        new(name, name, RoleArn(name), "AROA" + name.ToUpperInvariant(), [])
        {
            AssumeRolePolicy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"{{condition}}}]}""",
        };

    private static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";

    private static void AssertDenied((int ExitCode, string Output, string Error) aws, string caller, string role)
    {
        Assert.Equal(254, aws.ExitCode);
        Assert.Contains($"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::{Account}:assumed-role/{caller}/session is not authorized to perform: sts:AssumeRole on resource: {RoleArn(role)}{Environment.NewLine}", aws.Error + Environment.NewLine, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> AssumeAsync(string key, string role, params string[] more) =>
        AwsAsync(key, TestCallers.Secret, ["sts", "assume-role", "--role-arn", RoleArn(role), "--role-session-name", "tutorial", .. more]);

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string key, string secret, params string[] arguments) =>
        _home.Cli(Region).RunAsync(key, secret, [.. arguments, "--endpoint-url", _server!.Urls[0].ToString()]);
}
