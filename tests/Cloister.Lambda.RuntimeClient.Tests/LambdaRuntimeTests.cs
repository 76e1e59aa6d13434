using System.Text;
using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient.Tests;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class LambdaRuntimeTests
{
    private static async Task<PostedResult> NextPostedAsync(FakeRuntimeApi api)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await api.Posted.Reader.ReadAsync(timeout.Token);
    }

    // Cancelled while waiting for the next invocation, or between two: either way the loop ends.
    private static async Task StoppedAsync(Task loop)
    {
        try
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(loop.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_Invocation_PostsHandlerResponseWithContext()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        LambdaContext? seen = null;
        api.Enqueue("req-1", """{"n":1}""");
        var before = DateTimeOffset.UtcNow;

        var loop = LambdaRuntime.RunAsync(client, (payload, context) =>
        {
            seen = context;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes($"{{\"echo\":{Encoding.UTF8.GetString(payload.Span)}}}"));
        }, stop.Token);
        var posted = await NextPostedAsync(api);
        var after = DateTimeOffset.UtcNow;
        await stop.CancelAsync();

        Assert.Equal(("req-1", "response"), (posted.RequestId, posted.Kind));
        Assert.Equal("""{"echo":{"n":1}}""", posted.Body);
        Assert.Equal("req-1", seen!.AwsRequestId);
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:function:f", seen.InvokedFunctionArn);
        // The fake API's deadline is 3 s from when it handed the invocation out, between the two readings (to the
        // millisecond the header carries); the time left when the test reads it depends on how loaded the machine is.
        Assert.InRange(seen.Deadline, before.AddSeconds(3).AddMilliseconds(-1), after.AddSeconds(3));
        Assert.InRange(seen.RemainingTime, TimeSpan.Zero, seen.Deadline - before);
        Assert.Equal("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        await StoppedAsync(loop);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_PostsErrorAndContinues()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        api.Enqueue("bad", "{}");
        api.Enqueue("good", "{}");

        var loop = LambdaRuntime.RunAsync(client, (_, context) => context.AwsRequestId == "bad"
            ? throw new ArgumentException("bad input")
            : ValueTask.FromResult<ReadOnlyMemory<byte>>("1"u8.ToArray()), stop.Token);
        var error = await NextPostedAsync(api);
        var ok = await NextPostedAsync(api);
        await stop.CancelAsync();

        Assert.Equal(("bad", "error", "ArgumentException"), (error.RequestId, error.Kind, error.ErrorType));
        var body = JsonDocument.Parse(error.Body).RootElement;
        Assert.Equal("ArgumentException", body.GetProperty("errorType").GetString());
        Assert.Equal("bad input", body.GetProperty("errorMessage").GetString());
        Assert.Equal(("good", "response"), (ok.RequestId, ok.Kind));
        await StoppedAsync(loop);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForNext_ReturnsWithoutThrowing()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        var called = false;

        var loop = LambdaRuntime.RunAsync(client, (_, _) =>
        {
            called = true;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>("1"u8.ToArray());
        }, stop.Token);
        Assert.True(await api.NextRequested.WaitAsync(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();

        // As Amazon.Lambda.RuntimeSupport's loop does: a stop asked for (SIGTERM wired to the token) is a clean exit.
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
        Assert.False(called);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileHandlerRuns_PostsItsResponseThenReturns()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.Enqueue("slow", "{}");

        var loop = LambdaRuntime.RunAsync(client, async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return "\"done\""u8.ToArray();
        }, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        release.SetResult();
        var posted = await NextPostedAsync(api);

        Assert.Equal(("slow", "response", "\"done\""), (posted.RequestId, posted.Kind, posted.Body));
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_NextAnswers500_ThrowsInsteadOfRetrying()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.NextStatus = 500;
        using var client = new RuntimeApiClient(api.Address);

        var loop = LambdaRuntime.RunAsync(client, (_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>("1"u8.ToArray()));

        var exception = await Assert.ThrowsAsync<RuntimeApiException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(500, exception.StatusCode);
        Assert.Equal(1, api.NextRequested.CurrentCount);
    }

    [Fact]
    public async Task RunAsync_RuntimeApiUnreachable_Throws()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var address = closed.LocalEndpoint.ToString()!;
        closed.Stop();
        using var client = new RuntimeApiClient(address);

        var loop = LambdaRuntime.RunAsync(client, (_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>("1"u8.ToArray()));

        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunAsync_InitializerThrows_PostsInitErrorAndRethrows()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        api.Enqueue("never", "{}");

        var loop = LambdaRuntime.RunAsync(client, () => throw new InvalidOperationException("DYNAMODB_TABLE_NAME is not set."));
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        var posted = await NextPostedAsync(api);

        Assert.Equal("DYNAMODB_TABLE_NAME is not set.", thrown.Message);
        Assert.Equal(("init", "error", "InvalidOperationException"), (posted.RequestId, posted.Kind, posted.ErrorType));
        var body = JsonDocument.Parse(posted.Body).RootElement;
        Assert.Equal("InvalidOperationException", body.GetProperty("errorType").GetString());
        Assert.Equal("DYNAMODB_TABLE_NAME is not set.", body.GetProperty("errorMessage").GetString());
        Assert.Equal(0, api.NextRequested.CurrentCount);
    }

    [Fact]
    public async Task RunAsync_Initializer_RunsOnceThenServesWithItsHandler()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        var initialized = 0;
        api.Enqueue("a", "{}");
        api.Enqueue("b", "{}");

        var loop = LambdaRuntime.RunAsync(client, () =>
        {
            var count = Interlocked.Increment(ref initialized);
            return ValueTask.FromResult<LambdaHandler>((_, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }, stop.Token);
        var first = await NextPostedAsync(api);
        var second = await NextPostedAsync(api);
        await stop.CancelAsync();

        Assert.Equal(("a", "response", "1"), (first.RequestId, first.Kind, first.Body));
        Assert.Equal(("b", "response", "1"), (second.RequestId, second.Kind, second.Body));
        Assert.Equal(1, initialized);
        await StoppedAsync(loop);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_LogsTheWholeExceptionAsOneLine()
    {
        // For an Event invocation nobody reads the error body: the log line is all there is, so it carries the stack
        // and the inner exception, as Amazon.Lambda.RuntimeSupport logs them, kept as one CloudWatch event with \r.
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        var log = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(TextWriter.Synchronized(log));
        try
        {
            api.Enqueue("logged-failure", "{}");
            var loop = LambdaRuntime.RunAsync(client, (_, _) => throw new InvalidOperationException("claim not saved", new IOException("disk full")), stop.Token);
            await NextPostedAsync(api);
            await stop.CancelAsync();
            await StoppedAsync(loop);
        }
        finally
        {
            Console.SetError(standardError);
        }

        var line = Assert.Single(log.ToString().Split('\n'), l => l.Contains("\tlogged-failure\t", StringComparison.Ordinal));
        Assert.Contains("\tfail\tSystem.InvalidOperationException: claim not saved", line, StringComparison.Ordinal);
        Assert.Contains("System.IO.IOException: disk full", line, StringComparison.Ordinal);
        Assert.Contains(nameof(RunAsync_HandlerThrows_LogsTheWholeExceptionAsOneLine), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResponseRefusedAsTooLarge_KeepsServing()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ResponseLimit = 10;
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource();
        api.Enqueue("big", "{}");
        api.Enqueue("small", "{}");

        var loop = LambdaRuntime.RunAsync(client, (_, context) => ValueTask.FromResult<ReadOnlyMemory<byte>>(
            Encoding.UTF8.GetBytes(context.AwsRequestId == "big" ? new string('x', 100) : "1")), stop.Token);
        var refused = await NextPostedAsync(api);
        var served = await NextPostedAsync(api);
        await stop.CancelAsync();

        Assert.Equal(("big", "too-large"), (refused.RequestId, refused.Kind));
        Assert.Equal(("small", "response", "1"), (served.RequestId, served.Kind, served.Body));
        await StoppedAsync(loop);
    }

    [Fact]
    public async Task Typed_SourceGeneratedTypes_ReadsEventAndWritesResult()
    {
        var handler = LambdaRuntime.Typed(
            (Cloister.Lambda.RuntimeClient.ApiGateway.ApiGatewayProxyRequest request, LambdaContext _) =>
                ValueTask.FromResult(new Cloister.Lambda.RuntimeClient.ApiGateway.ApiGatewayProxyResponse { StatusCode = 200, Body = request.Path }),
            Cloister.Lambda.RuntimeClient.ApiGateway.ApiGatewayJsonContext.Default.ApiGatewayProxyRequest,
            Cloister.Lambda.RuntimeClient.ApiGateway.ApiGatewayJsonContext.Default.ApiGatewayProxyResponse);

        var result = await handler("""{"path":"/claim"}"""u8.ToArray(), null!);

        var json = JsonDocument.Parse(result).RootElement;
        Assert.Equal(200, json.GetProperty("statusCode").GetInt32());
        Assert.Equal("/claim", json.GetProperty("body").GetString());
    }
}
