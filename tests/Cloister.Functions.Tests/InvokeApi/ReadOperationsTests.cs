using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Model.Compute;
using Cloister.Policy;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// Lambda's operations besides Invoke on the Invoke API's listener, as a user on an instance tries them with the AWS
/// CLI v2: GetFunction, GetFunctionConfiguration and ListFunctions described from the deployed functions and authorized
/// with their own IAM actions; Lambda's other operations refused as operations the caller may not use.
/// </summary>
public sealed class ReadOperationsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string ReaderKey = "ASIAREADER0000000001";
    private const string StrangerKey = "ASIASTRANGER00000001";

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-lambda-reads-").FullName;
    private string _plain = string.Empty;
    private string _versioned = string.Empty;
    private InvokeApiServer? _server;

    private Uri Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        _plain = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"), environment: ImmutableDictionary<string, string>.Empty.Add("STAGE", "test"));
        _versioned = "versioned-" + Guid.NewGuid().ToString("N")[..12];
        var function = new LambdaFunction(_versioned, _versioned, "python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"), null, 512, 10, ImmutableDictionary<string, string>.Empty, null, 5);
        var deployed = await fixture.Service.DeployAsync(ServiceFixture.WithVersionOne(function));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        _server = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Signed(Caller), fixture.Service);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task GetFunction_AwsCliReader_ConfigurationOfTheDeployedFunction()
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "get-function", "--function-name", _plain);

        Assert.True(exitCode == 0, error);
        var answer = JsonDocument.Parse(output).RootElement;
        var configuration = answer.GetProperty("Configuration");
        Assert.Equal(_plain, configuration.GetProperty("FunctionName").GetString());
        Assert.Equal($"arn:aws:lambda:{Region}:{Account}:function:{_plain}", configuration.GetProperty("FunctionArn").GetString());
        Assert.Equal("python3.12", configuration.GetProperty("Runtime").GetString());
        Assert.Equal("app.handler", configuration.GetProperty("Handler").GetString());
        Assert.Equal(256, configuration.GetProperty("MemorySize").GetInt32());
        Assert.Equal(3, configuration.GetProperty("Timeout").GetInt32());
        Assert.Equal("$LATEST", configuration.GetProperty("Version").GetString());
        Assert.Equal("Active", configuration.GetProperty("State").GetString());
        Assert.Equal("test", configuration.GetProperty("Environment").GetProperty("Variables").GetProperty("STAGE").GetString());
        Assert.Equal("Zip", configuration.GetProperty("PackageType").GetString());
        Assert.True(configuration.GetProperty("CodeSize").GetInt64() > 0);
        Assert.Equal(32, Convert.FromBase64String(configuration.GetProperty("CodeSha256").GetString()!).Length);
        Assert.True(Guid.TryParse(configuration.GetProperty("RevisionId").GetString(), out _));
        Assert.Equal("S3", answer.GetProperty("Code").GetProperty("RepositoryType").GetString());
        Assert.False(answer.TryGetProperty("Concurrency", out _));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("live")]
    public async Task GetFunctionConfiguration_QualifierOfVersionOneOrItsAlias_VersionOneUnderTheArnAsNamed(string qualifier)
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "get-function-configuration", "--function-name", _versioned, "--qualifier", qualifier);

        Assert.True(exitCode == 0, error);
        var configuration = JsonDocument.Parse(output).RootElement;
        Assert.Equal($"arn:aws:lambda:{Region}:{Account}:function:{_versioned}:{qualifier}", configuration.GetProperty("FunctionArn").GetString());
        Assert.Equal("1", configuration.GetProperty("Version").GetString());
        Assert.Equal(512, configuration.GetProperty("MemorySize").GetInt32());
    }

    [Fact]
    public async Task GetFunction_ReservedConcurrency_ConcurrencyInTheAnswer()
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "get-function", "--function-name", $"arn:aws:lambda:{Region}:{Account}:function:{_versioned}");

        Assert.True(exitCode == 0, error);
        Assert.Equal(5, JsonDocument.Parse(output).RootElement.GetProperty("Concurrency").GetProperty("ReservedConcurrentExecutions").GetInt32());
    }

    [Theory]
    [InlineData("missing-function", null)]
    [InlineData(null, "7")]
    public async Task GetFunction_UnknownFunctionOrVersion_ResourceNotFound(string? function, string? qualifier)
    {
        var name = function ?? _versioned;
        string[] arguments = qualifier is null ? ["get-function", "--function-name", name] : ["get-function", "--function-name", name, "--qualifier", qualifier];

        var (exitCode, _, error) = await AwsAsync(ReaderKey, arguments);

        Assert.Equal(254, exitCode);
        Assert.Contains($"An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found: arn:aws:lambda:{Region}:{Account}:function:{name}{(qualifier is null ? string.Empty : ":" + qualifier)}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFunctions_AwsCliPagesOfOne_EveryDeployedFunctionOnce()
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "list-functions", "--page-size", "1");

        Assert.True(exitCode == 0, error);
        var names = JsonDocument.Parse(output).RootElement.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Single(names, _plain);
        Assert.Single(names, _versioned);
    }

    [Fact]
    public async Task ListFunctions_AwsCliBadFunctionVersionAndMaxItems_OneMessageListsBoth()
    {
        var (exitCode, _, error) = await AwsAsync(ReaderKey, "list-functions", "--function-version", "LATEST", "--page-size", "20000");

        Assert.NotEqual(0, exitCode);
        Assert.Contains(
            "(ValidationException) when calling the ListFunctions operation: 2 validation errors detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [ALL]; Value '20000' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFunctions_FunctionVersionAll_LatestThenEachVersionUnderQualifiedArns()
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "list-functions", "--function-version", "ALL");

        Assert.True(exitCode == 0, error);
        var arns = JsonDocument.Parse(output).RootElement.GetProperty("Functions").EnumerateArray()
            .Where(f => f.GetProperty("FunctionName").GetString() == _versioned)
            .Select(f => f.GetProperty("FunctionArn").GetString());
        Assert.Equal([$"arn:aws:lambda:{Region}:{Account}:function:{_versioned}:$LATEST", $"arn:aws:lambda:{Region}:{Account}:function:{_versioned}:1"], arns);
    }

    [Fact]
    public async Task ListFunctions_CallerWithoutListFunctions_AccessDeniedOnResourceStar()
    {
        var (exitCode, _, error) = await AwsAsync(StrangerKey, "list-functions");

        Assert.Equal(254, exitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the ListFunctions operation: User: arn:aws:sts::{Account}:assumed-role/Stranger/session is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFunctionConfiguration_CallerWithoutTheAction_AccessDeniedOnTheFunction()
    {
        var (exitCode, _, error) = await AwsAsync(StrangerKey, "get-function-configuration", "--function-name", _plain);

        Assert.Equal(254, exitCode);
        Assert.Contains($"is not authorized to perform: lambda:GetFunctionConfiguration on resource: arn:aws:lambda:{Region}:{Account}:function:{_plain} because no identity-based policy allows the lambda:GetFunctionConfiguration action", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteFunction_AllowedByIam_AccessDeniedAsNotServedAndTheFunctionStays()
    {
        var (exitCode, _, error) = await AwsAsync(ReaderKey, "delete-function", "--function-name", _plain);
        var after = await AwsAsync(ReaderKey, "get-function-configuration", "--function-name", _plain);

        Assert.Equal(254, exitCode);
        Assert.Contains($"An error occurred (AccessDeniedException) when calling the DeleteFunction operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: lambda:DeleteFunction on resource: arn:aws:lambda:{Region}:{Account}:function:{_plain} because Cloister does not serve lambda:DeleteFunction: the stack's functions change only with its template", error, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.Error);
    }

    [Fact]
    public async Task DeleteFunction_CallerWithoutTheAction_IamsReasonFirst()
    {
        var (exitCode, _, error) = await AwsAsync(StrangerKey, "delete-function", "--function-name", _plain);

        Assert.Equal(254, exitCode);
        Assert.Contains("lambda:DeleteFunction on resource: arn:aws:lambda:eu-central-1:123456789012:function:" + _plain + " because no identity-based policy allows the lambda:DeleteFunction action", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeWithResponseStream_Unsigned_RefusedBeforeAnythingRuns()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(Url, $"/2021-11-15/functions/{_plain}/response-streaming-invocations"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", string.Join(",", response.Headers.GetValues("x-amzn-ErrorType")));
    }

    [Fact]
    public async Task Invoke_AwsCliInvocationTypeEvent_202()
    {
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "invoke", "--function-name", _plain, "--invocation-type", "Event", "--cli-binary-format", "raw-in-base64-out", "--payload", "{}", Path.Combine(_home, "out.json"));

        Assert.True(exitCode == 0, error);
        Assert.Equal(202, JsonDocument.Parse(output).RootElement.GetProperty("StatusCode").GetInt32());
    }

    /// <summary>Reader may read and invoke every function and delete them (IAM allows it); Stranger may only read DynamoDB.</summary>
    private static CallerIdentity? Caller(string keyId) =>
        keyId switch
        {
            ReaderKey => TestCallers.RoleSession("Reader", """["lambda:GetFunction","lambda:GetFunctionConfiguration","lambda:ListFunctions","lambda:InvokeFunction","lambda:DeleteFunction"]"""),
            StrangerKey => TestCallers.RoleSession("Stranger", "\"dynamodb:GetItem\""),
            _ => null,
        };

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string keyId, params string[] arguments) =>
        new AwsCli(_home, Region).RunAsync(keyId, TestCallers.Secret, ["lambda", .. arguments, "--endpoint-url", Url.ToString().TrimEnd('/')]);
}
