namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// <c>cloister invoke</c> against a running stack of two functions: what Lambda's Invoke refuses before anything runs
/// (an invocation type outside its enum, a payload that is not JSON, an unknown function) is reported as the AWS CLI
/// reports a service error, and <c>untouched</c> never runs.
/// </summary>
public sealed class InvokeCommandTests(InvokeCommandTests.Stack stack) : IClassFixture<InvokeCommandTests.Stack>
{
    [Fact(Timeout = 120_000)]
    public async Task Invoke_Echo_PrintsThePayloadItReturns()
    {
        var (exitCode, output, error) = await stack.Cli.RunAsync("invoke", "echo", "--payload", """{"a":1}""");

        Assert.True(exitCode == 0, error);
        Assert.Equal("""{"a": 1}""", output.Trim());
        Assert.Contains("StatusCode: 200", error, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("{bad")]
    [InlineData("""{"a":1} trailing""")]
    [InlineData("not json")]
    public async Task Invoke_PayloadNotJson_InvalidRequestContentAndNothingRuns(string payload)
    {
        // Before, the text went to the function as its event and its deserialization error came back as a function error.
        var (exitCode, output, error) = await stack.Cli.RunAsync("invoke", "untouched", "--payload", payload);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("cloister invoke: An error occurred (InvalidRequestContentException) when calling the Invoke operation: Could not parse request body into json: Could not parse payload into json: ", error, StringComparison.Ordinal);
        await AssertUntouchedNeverRanAsync();
    }

    [Theory(Timeout = 120_000)]
    [InlineData("Bogus")]
    [InlineData("event")]
    public async Task Invoke_UnknownInvocationType_ValidationExceptionAndNothingRuns(string type)
    {
        // Before, anything but Event (in any case) ran the function synchronously.
        var (exitCode, output, error) = await stack.Cli.RunAsync("invoke", "untouched", "--invocation-type", type);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal(
            $"cloister invoke: An error occurred (ValidationException) when calling the Invoke operation: 1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [DryRun, RequestResponse, Event]",
            error.Trim());
        await AssertUntouchedNeverRanAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task Invoke_DryRun_Answers204WithoutAVersionAndNothingRuns()
    {
        // Before, DryRun ran the function synchronously; then it printed an ExecutedVersion Lambda does not send on a 204.
        var (exitCode, _, error) = await stack.Cli.RunAsync("invoke", "untouched", "--invocation-type", "DryRun");

        Assert.True(exitCode == 0, error);
        Assert.Contains("StatusCode: 204", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ExecutedVersion", error, StringComparison.Ordinal);
        await AssertUntouchedNeverRanAsync();
    }

    [Theory(Timeout = 120_000)]
    [InlineData("nosuchfunction", "cloister invoke: An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:eu-central-1:000000000000:function:nosuchfunction")]
    [InlineData("", "cloister invoke: Parameter validation failed:\nInvalid length for parameter FunctionName, value: 0, valid min length: 1")]
    public async Task Invoke_FunctionRefused_ErrorOnStandardErrorOnly(string function, string expected)
    {
        // Before, Lambda's error body went to standard output and its type was shown as the function's error; an empty
        // name got an ArgumentException's text from inside the host ("The value cannot be an empty string.").
        var (exitCode, output, error) = await stack.Cli.RunAsync("invoke", function);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal(expected, error.Trim().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("FunctionError", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task LogsFunction_LogicalIdOfARunningFunction_NamesTheFunctionToGive()
    {
        // Before: "No logs for function Echo (…); there are logs of …", every run's functions, none said to be the one meant.
        // (Here, with this stack running; the command's other cases are in LogsFunctionCommandTests.)
        var (exitCode, output, error) = await stack.Cli.RunAsync("logs", "function", "Echo");

        Assert.NotEqual(0, exitCode);
        Assert.Empty(output);
        Assert.EndsWith("Echo is the logical id of stack stack's function echo: cloister logs function echo", error.Trim(), StringComparison.Ordinal);
    }

    private async Task AssertUntouchedNeverRanAsync()
    {
        // Every invocation that reaches the function logs Lambda's START line.
        var logs = await stack.Cli.RunAsync("logs", "function", "untouched");
        Assert.DoesNotContain("START RequestId", logs.Output, StringComparison.Ordinal);
    }

    /// <summary>The two functions' stack, up for the class.</summary>
    public sealed class Stack : IAsyncLifetime
    {
        internal CliProcess Cli { get; } = new();

        public async Task InitializeAsync()
        {
            var template = Cli.WriteFile("stack.yaml", "Resources:\n" + EchoFunction.Resource("Echo", "echo") + EchoFunction.Resource("Untouched", "untouched"));
            var up = await Cli.RunAsync("up", "--detach", "--region", "eu-central-1", template);
            Assert.True(up.ExitCode == 0, up.Output + up.Error);
        }

        public async Task DisposeAsync()
        {
            await Cli.DisposeAsync();
        }
    }
}
