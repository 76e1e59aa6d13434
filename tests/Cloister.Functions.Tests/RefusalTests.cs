using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Launching;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Every answer Lambda gives an Invoke it refuses before anything runs: valid JSON <c>{"Reason"?,"Type","message"}</c>
/// with the error type as <see cref="InvocationResult.ServiceErrorType"/> (<c>x-amzn-ErrorType</c>), whatever the
/// function's name holds.
/// </summary>
public sealed class RefusalTests : IsolatedServiceTests
{
    private readonly FailingLauncher _launcher;

    public RefusalTests()
        : this(new FailingLauncher())
    {
    }

    private RefusalTests(FailingLauncher launcher)
        : base(state => new FunctionsOptions { State = state, Account = new AccountContext("123456789012", "eu-central-1"), UnreservedConcurrencyLimit = 1 }, launcher) =>
        _launcher = launcher;

    [Fact]
    public async Task InvokeAsync_UnknownFunctionNameWithQuotes_Returns404WithValidJsonBody()
    {
        var result = await Service.InvokeAsync("no\"such\\fn", "{}"u8.ToArray());

        var body = AssertRefused(result, 404, "ResourceNotFoundException", "User");
        Assert.Equal("Function not found: arn:aws:lambda:eu-central-1:123456789012:function:no\"such\\fn", body.GetProperty("message").GetString());
        Assert.False(body.TryGetProperty("Reason", out _));
    }

    [Theory]
    [InlineData(InvocationType.RequestResponse)]
    [InlineData(InvocationType.Event)]
    [InlineData(InvocationType.DryRun)]
    public async Task InvokeAsync_UnknownFunctionAnyInvocationType_Returns404WithValidJsonBody(InvocationType type)
    {
        var result = await Service.InvokeAsync("missing", "{}"u8.ToArray(), type);

        var body = AssertRefused(result, 404, "ResourceNotFoundException", "User");
        Assert.Equal("Function not found: arn:aws:lambda:eu-central-1:123456789012:function:missing", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(InvocationType.RequestResponse, 6_291_457, "Request must be smaller than 6291456 bytes for the InvokeFunction operation")]
    [InlineData(InvocationType.Event, 1_048_577, "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)")]
    public async Task InvokeAsync_PayloadOverQuota_Returns413WithValidJsonBody(InvocationType type, int length, string message)
    {
        var result = await Service.InvokeAsync("missing", new byte[length], type);

        var body = AssertRefused(result, 413, "RequestEntityTooLargeException", "User");
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("event")]
    [InlineData("Bogus")]
    public async Task InvokeRequestAsync_InvocationTypeNotLambdas_Returns400ValidationException(string type)
    {
        var result = await Service.InvokeRequestAsync("missing", null, "{}"u8.ToArray(), type, InvocationContext.None);

        var body = AssertRefused(result, 400, "ValidationException", "User");
        Assert.Equal($"1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvokeRequestAsync_PayloadNotJson_Returns400InvalidRequestContentBeforeLookingForTheFunction()
    {
        var result = await Service.InvokeRequestAsync("missing", null, "{not json"u8.ToArray(), null, InvocationContext.None);

        var body = AssertRefused(result, 400, "InvalidRequestContentException", "User");
        Assert.StartsWith("Could not parse request body into json: Could not parse payload into json: ", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name", null, "2 validation errors detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")]
    [InlineData("busy:a:b", null, "2 validation errors detected: Value 'busy:a:b' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ")]
    [InlineData("busy", "", "2 validation errors detected: Value 'Bogus' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]; Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("bad name", "a b", "3 validation errors detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ")]
    public async Task InvokeRequestAsync_NameInvokeWouldRefuse_Returns400ValidationExceptionAsTheInvokeApi(string name, string? qualifier, string message)
    {
        // cloister invoke enters here: the same model check as the Invoke API (name, invocation type and qualifier, every violation listed), before the payload.
        var result = await Service.InvokeRequestAsync(name, qualifier, "{not json"u8.ToArray(), "Bogus", InvocationContext.None);

        var body = AssertRefused(result, 400, "ValidationException", "User");
        Assert.StartsWith(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-west-2:123456789012:function:busy", "Functions from 'us-west-2' are not reachable in this region ('eu-central-1')")]
    [InlineData("210987654321:function:busy", "Function not found: arn:aws:lambda:eu-central-1:210987654321:function:busy")]
    public async Task InvokeRequestAsync_ArnElsewhere_Returns404WithoutRunningThisAccountsFunction(string reference, string message)
    {
        await DeployAsync("busy");

        var result = await Service.InvokeRequestAsync(reference, null, "{}"u8.ToArray(), null, InvocationContext.None);

        var body = AssertRefused(result, 404, "ResourceNotFoundException", "User");
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.False(_launcher.Entered.Task.IsCompleted);
    }

    [Fact]
    public async Task InvokeAsync_EnvironmentCannotStart_Returns500ServiceExceptionWithValidJsonBody()
    {
        await DeployAsync("unstartable");

        var result = await Service.InvokeAsync("unstartable", "{}"u8.ToArray());

        var body = AssertRefused(result, 500, "ServiceException", "Service");
        Assert.Equal("Lambda could not start an execution environment.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvokeAsync_ConcurrencyLimitReached_Returns429WithReasonAndValidJsonBody()
    {
        await DeployAsync("busy");
        _launcher.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Service.InvokeAsync("busy", "{}"u8.ToArray()).AsTask();
        await _launcher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The only environment allowed is starting: a second invocation is over the limit of one.
        var throttled = await Service.InvokeAsync("busy", "{}"u8.ToArray());
        _launcher.Hold.SetResult();
        AssertRefused(await first, 500, "ServiceException", "Service");

        var body = AssertRefused(throttled, 429, "TooManyRequestsException", "User");
        Assert.Equal("Rate Exceeded.", body.GetProperty("message").GetString());
        Assert.Equal("ConcurrentInvocationLimitExceeded", body.GetProperty("Reason").GetString());
    }

    [Fact]
    public void Undelivered_InvocationNotHandedToTheRuntime_Is500ServiceExceptionWithValidJsonBody()
    {
        var body = AssertRefused(Refusals.Refusal.Undelivered("b0c3e0d2-0000-4000-8000-000000000001"), 500, "ServiceException", "Service");

        Assert.Equal("Lambda could not hand the invocation to the runtime.", body.GetProperty("message").GetString());
    }

    private static JsonElement AssertRefused(InvocationResult result, int status, string errorType, string faultType)
    {
        var text = Encoding.UTF8.GetString(result.Payload.Span);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(errorType, result.ServiceErrorType);
        Assert.Null(result.FunctionError);
        Assert.False(string.IsNullOrEmpty(result.RequestId));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal(faultType, body.GetProperty("Type").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
        return body;
    }

    private async Task DeployAsync(string name)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, "exports.handler = async () => 1;", 128, 3,
            ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }

    /// <summary>A launcher that cannot open a Runtime API socket (after <see cref="Hold"/>, when set).</summary>
    private sealed class FailingLauncher : IProcessLauncher
    {
        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            if (Hold is { } hold)
            {
                await hold.Task.ConfigureAwait(false);
            }

            throw new IOException("no socket for you");
        }

        public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken) =>
            throw new IOException("no process for you");
    }
}
