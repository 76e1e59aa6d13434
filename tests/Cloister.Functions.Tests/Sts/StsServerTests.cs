using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Cloister.Functions.Sts;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Sts;

/// <summary>
/// The sandbox's STS over HTTPS on a real loopback socket: the AWS CLI v2 signs <c>aws sts get-caller-identity</c> as
/// it does against AWS (its output and errors are what a user sees), and raw HTTPS checks STS's XML and statuses.
/// </summary>
public sealed class StsServerTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string SessionKey = "ASIASESSION000000001";
    private const string DeniedKey = "ASIADENIEDALL0000001";
    private const string RootKey = "AKIAROOT000000000001";
    private const string ExpiredKey = "ASIAEXPIRED000000001";

    private readonly TestHome _home = new("cloister-sts-");
    private StsServer? _server;

    private Uri Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        _server = await StsServer.StartAsync(new StsOptions
        {
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = _home.Certificate,
            Callers = Caller,
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
    public async Task GetCallerIdentity_AwsCliRoleSession_AssumedRoleArnUserIdAndAccount()
    {
        var aws = await AwsAsync(SessionKey, TestCallers.Secret);

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Worker/session", answer.RootElement.GetProperty("Arn").GetString());
        Assert.Equal("AROAWORKER:session", answer.RootElement.GetProperty("UserId").GetString());
        Assert.Equal(Account, answer.RootElement.GetProperty("Account").GetString());
    }

    [Fact]
    public async Task GetCallerIdentity_CallerWhosePoliciesDenyEverything_StillAnswered()
    {
        var aws = await AwsAsync(DeniedKey, TestCallers.Secret);

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains($"assumed-role/DenyAll/session", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentity_AwsCliRoot_RootArnAndAccountIdAsUserId()
    {
        var aws = await AwsAsync(RootKey, TestCallers.Secret);

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal($"arn:aws:iam::{Account}:root", answer.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(Account, answer.RootElement.GetProperty("UserId").GetString());
        Assert.Equal(Account, answer.RootElement.GetProperty("Account").GetString());
    }

    [Fact]
    public async Task GetCallerIdentity_AwsCliWrongSecret_SignatureDoesNotMatch()
    {
        var aws = await AwsAsync(SessionKey, "not-the-secret");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentity_AwsCliUnknownKey_InvalidClientTokenId()
    {
        var aws = await AwsAsync("ASIAUNKNOWN000000001", TestCallers.Secret);

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_AwsCli_AccessDeniedSayingCloisterDoesNotServeIt()
    {
        var aws = await _home.Cli(Region).RunAsync(
            SessionKey, TestCallers.Secret, "sts", "assume-role", "--endpoint-url", Url.ToString(), "--role-arn", $"arn:aws:iam::{Account}:role/Other", "--role-session-name", "tutorial");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains($"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::{Account}:assumed-role/Worker/session is not authorized to perform: sts:AssumeRole because Cloister does not serve sts:AssumeRole", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Unsigned_403MissingAuthenticationTokenInStsXml()
    {
        using var response = await PostAsync("Action=GetCallerIdentity&Version=2011-06-15", sign: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = Error(await response.Content.ReadAsStringAsync());
        Assert.Equal(("Sender", "MissingAuthenticationToken", "Request is missing Authentication Token"), error);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task Post_SignedUnknownAction_400InvalidAction()
    {
        using var response = await PostAsync("Action=GetEverything&Version=2011-06-15", sign: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("Sender", "InvalidAction", "Could not find operation GetEverything for version 2011-06-15"), Error(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Post_SignedGetCallerIdentity_StsXmlWithTheResultAndRequestId()
    {
        using var response = await PostAsync("Action=GetCallerIdentity&Version=2011-06-15", sign: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace sts = StsHandler.Namespace;
        var result = document.Root!.Element(sts + "GetCallerIdentityResult")!;
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Worker/session", result.Element(sts + "Arn")!.Value);
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), document.Root.Element(sts + "ResponseMetadata")!.Element(sts + "RequestId")!.Value);
    }

    [Theory]
    [InlineData(64 * 1024, HttpStatusCode.OK)]
    [InlineData((64 * 1024) + 1, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Post_SignedBodyAroundTheLimit_AnsweredUpTo64KiBThen413(int bodyBytes, HttpStatusCode expected)
    {
        const string Form = "Action=GetCallerIdentity&Version=2011-06-15&Padding=";
        using var response = await PostAsync(Form + new string('a', bodyBytes - Form.Length), sign: true);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.RequestEntityTooLarge)
        {
            Assert.Equal(("Sender", "RequestEntityTooLarge", "Request body too large."), Error(await response.Content.ReadAsStringAsync()));
        }
    }

    private static (string?, string?, string?) Error(string xml)
    {
        XNamespace sts = StsHandler.Namespace;
        var error = XDocument.Parse(xml).Root!.Element(sts + "Error")!;
        return (error.Element(sts + "Type")?.Value, error.Element(sts + "Code")?.Value, error.Element(sts + "Message")?.Value);
    }

    [Fact]
    public async Task Post_SignedWithExpiredSessionCredentials_403ExpiredTokenInStsXml()
    {
        // STS answers a known session past its expiry with ExpiredToken (not InvalidClientTokenId), 403 as IAM's Query API does.
        using var response = await PostAsync("Action=GetCallerIdentity&Version=2011-06-15", sign: true, ExpiredKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(("Sender", "ExpiredToken", "The security token included in the request is expired"), Error(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Post_AcceptJson_GetCallerIdentityAnsweredAsJson()
    {
        using var response = await PostAsync("Action=GetCallerIdentity&Version=2011-06-15", sign: true, accept: "application/json");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = answer.RootElement.GetProperty("GetCallerIdentityResponse").GetProperty("GetCallerIdentityResult");
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Worker/session", result.GetProperty("Arn").GetString());
        Assert.Equal(Account, result.GetProperty("Account").GetString());
        Assert.Equal(
            response.Headers.GetValues("x-amzn-RequestId").Single(),
            answer.RootElement.GetProperty("GetCallerIdentityResponse").GetProperty("ResponseMetadata").GetProperty("RequestId").GetString());
    }

    [Fact]
    public async Task Post_AcceptJsonUnsigned_403ErrorAsJsonWithoutItsWrapper()
    {
        using var response = await PostAsync("Action=GetCallerIdentity&Version=2011-06-15", sign: false, accept: "application/json");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = answer.RootElement.GetProperty("Error");
        Assert.Equal(("Sender", "MissingAuthenticationToken", "Request is missing Authentication Token"), (error.GetProperty("Type").GetString(), error.GetProperty("Code").GetString(), error.GetProperty("Message").GetString()));
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), answer.RootElement.GetProperty("RequestId").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(string form, bool sign, string key = SessionKey, string? accept = null)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _home.Certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Content.Headers.ContentType!.CharSet = null;
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        if (sign)
        {
            TestSigner.Sign(request, key, TestCallers.Secret, null, Region, DateTimeOffset.UtcNow, "sts");
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string key, string secret) =>
        _home.Cli(Region).RunAsync(key, secret, "sts", "get-caller-identity", "--endpoint-url", Url.ToString());

    private static CallerIdentity? Caller(string key) => key switch
    {
        SessionKey => TestCallers.RoleSession("Worker", "\"s3:GetObject\""),
        DeniedKey => TestCallers.RoleSessionWith("DenyAll", """[{"Effect":"Deny","Action":"*","Resource":"*"}]"""),
        ExpiredKey => TestCallers.RoleSession("Worker", "\"s3:GetObject\"") with { Expiration = DateTimeOffset.UtcNow.AddSeconds(-1) },
        RootKey => new CallerIdentity(RequestPrincipal.Aws($"arn:aws:iam::{Account}:root"), Account, TestCallers.Secret, ImmutableArray<Cloister.Policy.Policy>.Empty, null, IsRoot: true),
        _ => null,
    };
}
