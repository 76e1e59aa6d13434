using System.Collections.Immutable;
using System.Text;
using Cloister.Functions.Tests.Support;
using Cloister.Lambda.RuntimeClient;

namespace Cloister.Functions.Tests;

/// <summary>
/// Responses a runtime streams to the Runtime API (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>): Node.js
/// handlers wrapped by <c>awslambda.streamifyResponse</c> answered whole to Invoke, and a runtime spoken by the test on
/// a raw socket, whose chunked body reaches a streaming caller piece by piece and whose trailers fail the invocation.
/// </summary>
public sealed class ResponseStreamingTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static readonly string NodeStream = Path.Combine(ServiceFixture.FunctionsDirectory, "node-stream");

    [Fact]
    public async Task Invoke_StreamifiedNodeHandler_AnswersTheWholeStreamedBody()
    {
        var function = await fixture.DeployAsync("nodejs22.x", "app.handler", NodeStream);

        var result = await fixture.InvokeAsync(function, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("abc", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Invoke_StreamifiedHandlerFailsMidway_FunctionErrorFromTheTrailers()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream);

        var result = await fixture.InvokeAsync(function, """{"action":"throw-midway"}""");

        Assert.Equal("broke midway", ServiceFixture.AssertFunctionError(result, "RangeError"));
        Assert.True(ServiceFixture.Json(result).GetProperty("trace").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Invoke_StreamifiedHandlerDestroysItsStreamWithAnError_FunctionErrorFromTheTrailers()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream);

        var result = await fixture.InvokeAsync(function, """{"action":"destroy"}""");
        var after = await fixture.InvokeAsync(function, "{}");

        Assert.Equal("destroyed midway", ServiceFixture.AssertFunctionError(result, "SyntaxError"));
        Assert.Equal("abc", Encoding.UTF8.GetString(after.Payload.Span));
    }

    [Fact]
    public async Task Invoke_StreamifiedHandlerFailsBeforeWriting_ErrorPostedAsAnyHandlers()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream);

        var result = await fixture.InvokeAsync(function, """{"action":"throw-first"}""");
        var after = await fixture.InvokeAsync(function, "{}");

        Assert.Equal("broke before writing", ServiceFixture.AssertFunctionError(result, "TypeError"));
        Assert.Equal("abc", Encoding.UTF8.GetString(after.Payload.Span));
    }

    [Fact]
    public async Task Invoke_StreamifiedHandlerReturnsWithoutEnding_StreamEndedForIt()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream);

        var result = await fixture.InvokeAsync(function, """{"action":"no-end"}""");

        Assert.Equal("left open", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Invoke_StreamedResponseOver6MB_ResponseSizeTooLargeAndTheRuntimeGoesOn()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream, timeoutSeconds: 10);

        var result = await fixture.InvokeAsync(function, """{"action":"big","mb":7}""");
        var after = await fixture.InvokeAsync(function, "{}");

        Assert.Equal(
            "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
            ServiceFixture.AssertFunctionError(result, "Function.ResponseSizeTooLarge"));
        Assert.Equal("abc", Encoding.UTF8.GetString(after.Payload.Span));
    }

    [Fact]
    public async Task InvokeStreaming_TimeoutMidStream_CallerKeepsWhatCameAndGetsTheTimeout()
    {
        var function = await fixture.DeployAsync("nodejs20.x", "app.handler", NodeStream, timeoutSeconds: 1);
        var sink = new RecordingResponseStream();
        var never = Path.Combine(fixture.Root, Guid.NewGuid().ToString("N"));

        var result = await fixture.Service.InvokeAsync(
            function, null, Encoding.UTF8.GetBytes($$"""{"action":"wait","file":"{{never}}"}"""), InvocationType.RequestResponse, new InvocationContext { ResponseStream = sink });
        var after = await fixture.InvokeAsync(function, "{}");

        Assert.Equal("first;", sink.Text);
        Assert.Contains("Task timed out after 1.00 seconds", ServiceFixture.AssertFunctionError(result, "Sandbox.Timedout"), StringComparison.Ordinal);
        Assert.Equal("abc", Encoding.UTF8.GetString(after.Payload.Span));
    }

    [Fact]
    public async Task PostResponse_ChunkedWithErrorTrailers_PiecesReachTheCallerBeforeTheEndAndTheTrailersFailIt()
    {
        var (invocation, sink, runtime, requestId, _) = await StartRawInvocationAsync(new RecordingResponseStream());
        await using var _ = runtime;

        await runtime.WriteAsync(
            $"POST /2018-06-01/runtime/invocation/{requestId}/response HTTP/1.1\r\nHost: runtime\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n5\r\nhello\r\n");
        await UntilAsync(() => sink!.Text == "hello");
        Assert.False(invocation.IsCompleted);
        var errorBody = Convert.ToBase64String("the disk went away"u8);
        await runtime.WriteAsync(
            $"6\r\n world\r\n0\r\nLambda-Runtime-Function-Error-Type: Function.DiskGone\r\nLambda-Runtime-Function-Error-Body: {errorBody}\r\n\r\n");
        var answer = await runtime.ReadAnswerAsync();
        var result = await invocation;

        Assert.Equal(202, answer.Status);
        Assert.Equal("hello world", sink!.Text);
        Assert.Equal(requestId, sink.RequestId);
        Assert.Equal("$LATEST", sink.ExecutedVersion);
        Assert.Equal("the disk went away", ServiceFixture.AssertFunctionError(result, "Function.DiskGone"));
    }

    [Fact]
    public async Task PostResponse_ChunkedWithoutStreamingCaller_GatheredWhole()
    {
        var (invocation, _, runtime, requestId, _) = await StartRawInvocationAsync(null);
        await using var _ = runtime;

        await runtime.WriteAsync(
            $"POST /2018-06-01/runtime/invocation/{requestId}/response HTTP/1.1\r\nHost: runtime\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "3\r\none\r\n4\r\n two\r\n0\r\n\r\n");
        var answer = await runtime.ReadAnswerAsync();
        var result = await invocation;

        Assert.Equal(202, answer.Status);
        Assert.True(result.Succeeded);
        Assert.Equal("one two", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task RuntimeClientResponseStream_Complete_PiecesReachTheCallerAsWritten()
    {
        var (invocation, sink, raw, requestId, address) = await StartRawInvocationAsync(new RecordingResponseStream());
        await using var _ = raw;
        using var client = new RuntimeApiClient(address);
        using var stream = client.StartResponseStream(requestId, "text/plain");

        await Task.Run(() => stream.Write("one "u8));
        await UntilAsync(() => sink!.Text == "one ");
        Assert.False(invocation.IsCompleted);
        await Task.Run(() =>
        {
            stream.Write("two"u8);
            stream.Complete();
        });
        var result = await invocation;

        Assert.True(result.Succeeded);
        Assert.Equal("one two", sink!.Text);
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task RuntimeClientResponseStream_Fail_InvocationFailsWithTheErrorAfterWhatWasWritten()
    {
        var (invocation, sink, raw, requestId, address) = await StartRawInvocationAsync(new RecordingResponseStream());
        await using var _ = raw;
        using var client = new RuntimeApiClient(address);
        using var stream = client.StartResponseStream(requestId);

        await Task.Run(() =>
        {
            stream.Write("half"u8);
            stream.Fail(new LambdaError("Function.GaveUp", "gave up halfway", []));
        });
        var result = await invocation;
        var late = Assert.Throws<RuntimeApiException>(() =>
        {
            using var again = client.StartResponseStream(requestId);
            again.Complete();
        });

        Assert.Equal("half", sink!.Text);
        Assert.Equal("gave up halfway", ServiceFixture.AssertFunctionError(result, "Function.GaveUp"));
        Assert.Equal(403, late.StatusCode);
    }

    /// <summary>
    /// Invokes a <c>functions/relay</c> function, whose runtime is this test: it connects to the Runtime API its bootstrap
    /// names, takes the invocation with <c>/next</c> and returns the invocation under way and the request id.
    /// </summary>
    private async Task<(Task<InvocationResult> Invocation, RecordingResponseStream? Sink, RawHttpConnection Runtime, string RequestId, string Address)> StartRawInvocationAsync(RecordingResponseStream? sink)
    {
        var addressFile = Path.Combine(fixture.Root, Guid.NewGuid().ToString("N") + ".address");
        var function = await fixture.DeployAsync(
            "provided.al2", "unused", Path.Combine(ServiceFixture.FunctionsDirectory, "relay"), timeoutSeconds: 20,
            environment: ImmutableDictionary<string, string>.Empty.Add("ADDRESS_FILE", addressFile));
        var invocation = fixture.Service.InvokeAsync(
            function, null, "{}"u8.ToArray(), InvocationType.RequestResponse, new InvocationContext { ResponseStream = sink }).AsTask();
        await UntilAsync(() => File.Exists(addressFile));
        var address = (await File.ReadAllTextAsync(addressFile)).Trim();
        var runtime = await RawHttpConnection.ConnectAsync(address);
        await runtime.WriteAsync("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n");
        var next = await runtime.ReadAnswerAsync();
        Assert.Equal(200, next.Status);
        return (invocation, sink, runtime, next.Headers["lambda-runtime-aws-request-id"], address);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }
}
