using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy;
using Cloister.Policy.Callers;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// Lambda's Invoke API on a real loopback socket over real function processes: the AWS CLI v2 signs and calls it as it
/// calls Lambda (its exit code, out file and errors are what a user sees), and raw HTTP checks the headers and statuses
/// Lambda answers with.
/// </summary>
public sealed class InvokeApiServerTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string AllowedKey = "ASIAALLOWED000000001";
    private const string DeniedKey = "ASIADENIED0000000001";
    private const string FunctionPolicyKey = "ASIAGRANTED000000001";
    private const string Secret = TestCallers.Secret;

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-invoke-api-").FullName;
    private readonly ShiftedClock _clock = new();

    // The sandbox's STS, for sessions that expire: a role allowed to invoke anything.
    private readonly CallerDirectory _sts = CallerDirectory.Build(new CloudModel
    {
        Account = new AccountContext(Account, Region),
        Roles = [new IamRole("InvokerRole", "Invoker", $"arn:aws:iam::{Account}:role/Invoker", "AROAINVOKERROLE00001", [new RolePolicy("invoke", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}""")])],
    });
    private string _function = string.Empty;
    private InvokeApiServer? _signed;
    private InvokeApiServer? _open;

    private Uri SignedUrl => _signed!.Urls[0];

    private Uri OpenUrl => _open!.Urls[0];

    public async Task InitializeAsync()
    {
        _function = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        _signed = await InvokeApiServer.StartAsync(
            LoopbackInvokeApi.Open() with
            {
                TimeProvider = _clock,
                Access = new LambdaAccess
                {
                    Callers = key => Caller(key) ?? (_sts.Find(key) is { IsRoot: false } session ? session : null),
                    FunctionPolicies = new Dictionary<string, Cloister.Policy.Policy?>
                    {
                        [_function] = Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:role/Granted"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:{{Region}}:{{Account}}:function:{{_function}}"}]}""", PolicyKind.Resource),
                    },
                },
            },
            fixture.Service);
        _open = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Open(), fixture.Service);
    }

    public async Task DisposeAsync()
    {
        if (_signed is not null)
        {
            await _signed.DisposeAsync();
        }

        if (_open is not null)
        {
            await _open.DisposeAsync();
        }

        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Invoke_AwsCliCallerAllowedByIdentityPolicy_PayloadInOutFile()
    {
        var aws = await AwsAsync(AllowedKey, Secret, "--function-name", _function, "--payload", """{"hello":"world"}""");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Equal("""{"hello": "world"}""", await File.ReadAllTextAsync(OutFile));
        using var answer = JsonDocument.Parse(aws.Output);
        Assert.Equal(200, answer.RootElement.GetProperty("StatusCode").GetInt32());
        Assert.Equal("$LATEST", answer.RootElement.GetProperty("ExecutedVersion").GetString());
    }

    [Fact]
    public async Task Invoke_AwsCliCallerWithoutAnAllowingPolicy_AccessDeniedWithLambdasMessageAndNothingRuns()
    {
        var aws = await AwsAsync(DeniedKey, Secret, "--function-name", _function, "--payload", "{}");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the Invoke operation: User: arn:aws:sts::{Account}:assumed-role/Denied/session is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:{Region}:{Account}:function:{_function} because no identity-based policy allows the lambda:InvokeFunction action",
            aws.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(OutFile));
    }

    [Fact]
    public async Task Invoke_AwsCliCallerAllowedByTheFunctionsResourcePolicyOnly_Runs()
    {
        var aws = await AwsAsync(FunctionPolicyKey, Secret, "--function-name", $"arn:aws:lambda:{Region}:{Account}:function:{_function}", "--payload", """{"n":1}""");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Equal("""{"n": 1}""", await File.ReadAllTextAsync(OutFile));
    }

    [Fact]
    public async Task UpdateFunctionPolicies_PermissionMovedToAnotherRole_FormerGranteeRefusedNewOneRunsFromTheNextCall()
    {
        var before = (Granted: await AwsAsync(FunctionPolicyKey, Secret, "--function-name", _function, "--payload", "{}"), Denied: await AwsAsync(DeniedKey, Secret, "--function-name", _function, "--payload", "{}"));

        _signed!.UpdateFunctionPolicies(new Dictionary<string, Cloister.Policy.Policy?>
        {
            [_function] = Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:role/Denied"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:{{Region}}:{{Account}}:function:{{_function}}"}]}""", PolicyKind.Resource),
        });
        var granted = await AwsAsync(FunctionPolicyKey, Secret, "--function-name", _function, "--payload", "{}");
        var denied = await AwsAsync(DeniedKey, Secret, "--function-name", _function, "--payload", """{"n":2}""");

        Assert.Equal((0, 254), (before.Granted.ExitCode, before.Denied.ExitCode));
        Assert.Equal(254, granted.ExitCode);
        Assert.Contains("(AccessDeniedException)", granted.Error, StringComparison.Ordinal);
        Assert.True(denied.ExitCode == 0, denied.Error);
        Assert.Equal("""{"n": 2}""", await File.ReadAllTextAsync(OutFile));
    }

    [Fact]
    public async Task Invoke_AwsCliWrongSecret_InvalidSignatureException()
    {
        var aws = await AwsAsync(AllowedKey, "not-the-secret", "--function-name", _function, "--payload", "{}");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (InvalidSignatureException) when calling the Invoke operation: The request signature we calculated does not match the signature you provided.", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_AwsCliStsSessionPastItsDuration_ExpiredTokenExceptionAndNothingRuns()
    {
        var (credentials, _) = _sts.AssumeRole($"arn:aws:iam::{Account}:role/Invoker", "brief", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(900))!.Value;
        var fresh = await AwsAsync(credentials.AccessKeyId, credentials.SecretAccessKey, "--function-name", _function, "--payload", "{}");
        File.Delete(OutFile);

        _clock.Offset = TimeSpan.FromSeconds(901);
        try
        {
            var expired = await AwsAsync(credentials.AccessKeyId, credentials.SecretAccessKey, "--function-name", _function, "--payload", "{}");

            Assert.True(fresh.ExitCode == 0, fresh.Error);
            Assert.Equal(254, expired.ExitCode);
            Assert.Contains("An error occurred (ExpiredTokenException) when calling the Invoke operation: The security token included in the request is expired", expired.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(OutFile));
        }
        finally
        {
            _clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Invoke_SignedWithExpiredStsSession_403ExpiredTokenException()
    {
        var (credentials, _) = _sts.AssumeRole($"arn:aws:iam::{Account}:role/Invoker", "brief", DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromHours(1))!.Value;
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Invocations(SignedUrl, _function)) { Content = Json("{}") };
        TestSigner.Sign(request, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Region, DateTimeOffset.UtcNow, "lambda");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("ExpiredTokenException", Header(response, "x-amzn-ErrorType"));
        Assert.Contains("The security token included in the request is expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_AwsCliPartialArnWithQualifierAndLogTypeTail_LogResultHoldsTheInvocationsLines()
    {
        var aws = await AwsAsync(AllowedKey, Secret, "--function-name", $"{Account}:function:{_function}:$LATEST", "--log-type", "Tail", "--payload", """{"action":"log"}""");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(answer.RootElement.GetProperty("LogResult").GetString()!));
        var start = log.IndexOf("START RequestId: ", StringComparison.Ordinal);
        Assert.True(start >= 0, log);
        var requestId = log[(start + "START RequestId: ".Length)..].Split(' ')[0];
        Assert.Contains($"hello from {requestId}\n", log, StringComparison.Ordinal);
        Assert.Contains($"END RequestId: {requestId}\n", log, StringComparison.Ordinal);
        Assert.Contains($"REPORT RequestId: {requestId}\t", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnsignedCallOnAnAuthorizedListener_403MissingAuthenticationToken()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(Invocations(SignedUrl, _function), Json("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", Header(response, "x-amzn-ErrorType"));
    }

    [Fact]
    public async Task Invoke_FunctionThrows_200WithFunctionErrorUnhandledAndTheErrorPayload()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(Invocations(OpenUrl, _function), Json("""{"action":"throw"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", Header(response, "X-Amz-Function-Error"));
        Assert.Equal("$LATEST", Header(response, "X-Amz-Executed-Version"));
        Assert.NotNull(Header(response, "x-amzn-RequestId"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ValueError", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("boom from python", error.RootElement.GetProperty("errorMessage").GetString());
    }

    /// <summary>A custom runtime with no bootstrap is a function error, as Lambda answers it: 200, <c>Unhandled</c>, <c>Runtime.InvalidEntrypoint</c>.</summary>
    [Fact]
    public async Task Invoke_CustomRuntimeWithoutBootstrap_200WithFunctionErrorAndInvalidEntrypoint()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_home, "no-bootstrap")).FullName;
        var function = await fixture.DeployAsync("provided.al2023", "bootstrap", empty);
        using var client = new HttpClient();

        using var response = await client.PostAsync(Invocations(OpenUrl, function), Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", Header(response, "X-Amz-Function-Error"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Runtime.InvalidEntrypoint", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(
            $"RequestId: {Header(response, "x-amzn-RequestId")} Error: Couldn't find valid bootstrap(s): [{empty}/bootstrap /opt/bootstrap]",
            error.RootElement.GetProperty("errorMessage").GetString());
    }

    [Theory]
    [InlineData("Event", HttpStatusCode.Accepted)]
    [InlineData("DryRun", HttpStatusCode.NoContent)]
    public async Task Invoke_InvocationTypeHeader_LambdasStatusAndNoBodyOrExecutedVersion(string type, HttpStatusCode status)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Invocations(OpenUrl, _function)) { Content = Json("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", type);

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(Header(response, "x-amzn-ErrorType"));
        Assert.Null(Header(response, "X-Amz-Executed-Version"));
        Assert.NotNull(Header(response, "x-amzn-RequestId"));
    }

    [Theory]
    [InlineData("missing-function", "", HttpStatusCode.NotFound, "ResourceNotFoundException", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:missing-function")]
    [InlineData(null, "{not json", HttpStatusCode.BadRequest, "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: ")]
    [InlineData(null, "{}?Qualifier=nope", HttpStatusCode.NotFound, "ResourceNotFoundException", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:")]
    public async Task Invoke_RefusedCall_LambdasStatusErrorTypeAndUserBody(string? function, string body, HttpStatusCode status, string errorType, string messageStart)
    {
        var query = body.IndexOf('?', StringComparison.Ordinal);
        var url = Invocations(OpenUrl, function ?? _function) + (query < 0 ? string.Empty : body[query..]);
        using var client = new HttpClient();

        using var response = await client.PostAsync(url, Json(query < 0 ? body : body[..query]));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(errorType, Header(response, "x-amzn-ErrorType"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("User", json.RootElement.GetProperty("Type").GetString());
        Assert.StartsWith(messageStart, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ClientContextNotBase64Json_400InvalidRequestContent()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Invocations(OpenUrl, _function)) { Content = Json("{}") };
        request.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String("not json"u8));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContentException", Header(response, "x-amzn-ErrorType"));
    }

    [Fact]
    public async Task Invoke_PathOfNoOperation_404UnknownOperation()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(OpenUrl, "/2015-03-31/nothing-here"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UnknownOperationException", Header(response, "x-amzn-ErrorType"));
    }

    [Theory]
    [InlineData("POST", "bad name", "/invocations", "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")]
    [InlineData("POST", "{F}:", "/invocations", "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("POST", "{F}:a:b", "/invocations", "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("POST", "arn:aws:sqs:eu-central-1:123456789012:function:{F}", "/invocations", "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("POST", "{F}", "/invocations?Qualifier=", "1 validation error detected: Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("POST", "{F}", "/invocations?Qualifier=a%20b", "1 validation error detected: Value 'a b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)")]
    [InlineData("GET", "bad name", "", "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("GET", "bad name", "/configuration", "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    public async Task Invoke_FunctionNameOrQualifierOutsideLambdasConstraints_400ValidationExceptionAndNothingRuns(string method, string function, string rest, string message)
    {
        var before = fixture.Service.ProcessIdsOf(_function).Count;
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(OpenUrl, $"/2015-03-31/functions/{Uri.EscapeDataString(function.Replace("{F}", _function, StringComparison.Ordinal))}{rest}"));
        if (method == "POST")
        {
            request.Content = Json("{}");
        }

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", Header(response, "x-amzn-ErrorType"));
        Assert.Contains(message, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Service.ProcessIdsOf(_function).Count);
    }

    [Fact]
    public async Task Invoke_BadNameTypeLogTypeAndQualifier_OneValidationExceptionListsAllFourInModelOrder()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OpenUrl, "/2015-03-31/functions/bad%20name/invocations?Qualifier=a%20b")) { Content = Json("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Bogus");
        request.Headers.Add("X-Amz-Log-Type", "Full");

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "4 validation errors detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?; "
            + "Value 'Bogus' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]; "
            + "Value 'Full' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]; "
            + "Value 'a b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
            body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvokeWithResponseStream_EventTypeAndBadLogType_BothListed()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OpenUrl, $"/2021-11-15/functions/{_function}/response-streaming-invocations")) { Content = Json("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        request.Headers.Add("X-Amz-Log-Type", "tail");

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "2 validation errors detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]; "
            + "Value 'tail' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]",
            body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_AwsCliBadNameAndInvocationType_OneMessageListsBoth()
    {
        var aws = await AwsAsync(AllowedKey, Secret, "--function-name", "bad name", "--invocation-type", "Bogus", "--payload", "{}");

        Assert.NotEqual(0, aws.ExitCode);
        Assert.Contains("(ValidationException) when calling the Invoke operation: 2 validation errors detected: Value 'bad name' at 'functionName'", aws.Error, StringComparison.Ordinal);
        Assert.Contains("; Value 'Bogus' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NameLongerThan170_400ValidationExceptionNamingTheLength()
    {
        var name = new string('a', 171);
        using var client = new HttpClient();

        using var response = await client.PostAsync(Invocations(OpenUrl, name), Json("{}"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 170", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_ArnOfAnotherRegion_404NotReachableInThisRegion()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(Invocations(OpenUrl, $"arn:aws:lambda:us-west-2:{Account}:function:{_function}"), Json("{}"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal($"Functions from 'us-west-2' are not reachable in this region ('{Region}')", body.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("arn:aws:lambda:" + Region + ":999999999999:function:{F}", "arn:aws:lambda:" + Region + ":999999999999:function:{F}")]
    [InlineData("999999999999:function:{F}:$LATEST", "arn:aws:lambda:" + Region + ":999999999999:function:{F}:$LATEST")]
    [InlineData("arn:aws-cn:lambda:" + Region + ":" + Account + ":function:{F}", "arn:aws-cn:lambda:" + Region + ":" + Account + ":function:{F}")]
    public async Task Invoke_ArnOfAnotherAccountOrPartition_404FunctionNotFoundNotThisAccountsFunction(string reference, string arn)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Invocations(OpenUrl, reference.Replace("{F}", _function, StringComparison.Ordinal))) { Content = Json("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "DryRun");

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal($"Function not found: {arn.Replace("{F}", _function, StringComparison.Ordinal)}", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Invoke_PartialArnOfThisAccountAndRegionAndAQualifiedName_Run()
    {
        using var client = new HttpClient();

        using var partial = await client.PostAsync(Invocations(OpenUrl, $"{Account}:function:{_function}"), Json("{}"));
        using var qualified = await client.PostAsync(Invocations(OpenUrl, $"arn:aws:lambda:{Region}:{Account}:function:{_function}:$LATEST"), Json("{}"));

        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, qualified.StatusCode);
    }

    private string OutFile => Path.Combine(_home, "out.json");

    /// <summary>The callers the signed listener knows: three sessions of roles, one allowed by its identity policy, one by the function's policy.</summary>
    private static CallerIdentity? Caller(string keyId)
    {
        var role = keyId switch
        {
            AllowedKey => "Allowed",
            DeniedKey => "Denied",
            FunctionPolicyKey => "Granted",
            _ => null,
        };
        if (role is null)
        {
            return null;
        }

        return TestCallers.RoleSession(role, role == "Allowed" ? "\"lambda:InvokeFunction\"" : "\"dynamodb:GetItem\"");
    }

    private static Cloister.Policy.Policy Parse(string json, PolicyKind kind) => TestCallers.Parse(json, kind);

    private static Uri Invocations(Uri server, string function) => new(server, $"/2015-03-31/functions/{Uri.EscapeDataString(function)}/invocations");

    private static StringContent Json(string body) => new(body, new MediaTypeHeaderValue("application/json"));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    /// <summary><c>aws lambda invoke ... out.json</c> against the signed listener with the given key.</summary>
    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string keyId, string secret, params string[] arguments) =>
        new AwsCli(_home, Region).RunAsync(keyId, secret, ["lambda", "invoke", "--endpoint-url", SignedUrl.ToString().TrimEnd('/'), "--cli-binary-format", "raw-in-base64-out", .. arguments, OutFile]);
}
