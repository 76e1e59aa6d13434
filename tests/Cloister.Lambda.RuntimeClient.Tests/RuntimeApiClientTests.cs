using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient.Tests;

/// <summary>The client's calls on their own, over real HTTP against <see cref="FakeRuntimeApi"/>.</summary>
public sealed class RuntimeApiClientTests
{
    private static async Task<PostedResult> NextPostedAsync(FakeRuntimeApi api)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await api.Posted.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task RespondThenNext_TwoInvocations_PostsTheFirstAndReturnsTheSecond()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        api.Enqueue("first", """{"n":1}""");
        api.Enqueue("second", """{"n":2}""");

        var first = await Task.Run(() => client.Next());
        var second = await Task.Run(() => client.RespondThenNext(first.Context.AwsRequestId, """{"ok":1}"""u8));
        var posted = await NextPostedAsync(api);

        Assert.Equal(("first", "response", """{"ok":1}"""), (posted.RequestId, posted.Kind, posted.Body));
        Assert.Equal("second", second.Context.AwsRequestId);
        Assert.Equal("""{"n":2}""", System.Text.Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact]
    public async Task Next_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var waiting = Task.Run(() => client.Next(stop.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReportInitError_Error_PostsBodyWithErrorTypeHeader()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var client = new RuntimeApiClient(api.Address);

        await Task.Run(() => client.ReportInitError(new LambdaError("Runtime.HandlerNotFound", "no handler", [])));
        var posted = await NextPostedAsync(api);

        Assert.Equal(("init", "error", "Runtime.HandlerNotFound"), (posted.RequestId, posted.Kind, posted.ErrorType));
        var body = JsonDocument.Parse(posted.Body).RootElement;
        Assert.Equal("Runtime.HandlerNotFound", body.GetProperty("errorType").GetString());
        Assert.Equal("no handler", body.GetProperty("errorMessage").GetString());
    }
}
