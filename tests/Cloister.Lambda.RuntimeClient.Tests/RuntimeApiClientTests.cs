using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient.Tests;

/// <summary>The client's calls on their own, over real HTTP against <see cref="FakeRuntimeApi"/>.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
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
    public async Task RespondThenNext_ServerAnswers413BeforeReadingTheWholeBody_ReturnsTheNextInvocation()
    {
        // A Runtime API that, like a Go net/http server over its limit, stops reading the body, answers 413 and closes
        // while the runtime is still sending; the next long poll comes on a new connection.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using (var first = await listener.AcceptSocketAsync())
            {
                await ReadHeadAsync(first);
                var some = new byte[64 * 1024];
                await first.ReceiveAsync(some);
                await first.SendAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"));
                first.Shutdown(SocketShutdown.Send);
            }

            var second = await listener.AcceptSocketAsync();
            var head = await ReadHeadAsync(second);
            Assert.StartsWith("GET /2018-06-01/runtime/invocation/next ", head, StringComparison.Ordinal);
            await second.SendAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: second\r\nLambda-Runtime-Deadline-Ms: 1\r\nContent-Length: 2\r\n\r\n{}"));
            return second;
        });
        using var client = new RuntimeApiClient(listener.LocalEndpoint.ToString()!);
        var oversized = new byte[16 * 1024 * 1024];

        var next = await Task.Run(() => client.RespondThenNext("first", oversized)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("second", next.Context.AwsRequestId);
        (await server).Dispose();
    }

    [Fact]
    public async Task RespondThenNext_ResponseRefusedWith400_NextReturnsThePipelinedInvocation()
    {
        // The Runtime API refuses the response (say, a request id it does not know) and then answers the long poll
        // that was pipelined behind it; a loop that catches the refusal and calls Next gets that invocation, and the
        // connection stays in step for the calls after it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            Assert.StartsWith("POST /2018-06-01/runtime/invocation/first/response ", await ReadRequestAsync(socket), StringComparison.Ordinal);
            Assert.StartsWith("GET /2018-06-01/runtime/invocation/next ", await ReadRequestAsync(socket), StringComparison.Ordinal);
            const string Invalid = """{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}""";
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {Invalid.Length}\r\n\r\n{Invalid}"));
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: second\r\nLambda-Runtime-Deadline-Ms: 1\r\nContent-Length: 7\r\n\r\n{\"n\":2}"));
            Assert.StartsWith("POST /2018-06-01/runtime/invocation/second/response ", await ReadRequestAsync(socket), StringComparison.Ordinal);
            await socket.SendAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}"u8.ToArray());
            return socket;
        });
        using var client = new RuntimeApiClient(listener.LocalEndpoint.ToString()!);

        var refused = await Assert.ThrowsAsync<RuntimeApiException>(() => Task.Run(() => client.RespondThenNext("first", "{}"u8)).WaitAsync(TimeSpan.FromSeconds(10)));
        var next = await Task.Run(() => client.Next()).WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Run(() => client.Respond("second", "{}"u8)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(("second", """{"n":2}"""), (next.Context.AwsRequestId, Encoding.UTF8.GetString(next.Payload.Span)));
        (await server.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task ReportError_AfterRespondThenNextRefused_DropsTheUnansweredLongPollAndPostsOnANewConnection()
    {
        // The long poll pipelined behind a refused response has no answer yet (no invocation is waiting); a call other
        // than Next must not wait behind it, so the connection holding it is closed and the call goes on a new one.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var first = await listener.AcceptSocketAsync();
            await ReadRequestAsync(first);
            await ReadRequestAsync(first);
            await first.SendAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray());
            var second = await listener.AcceptSocketAsync();
            var posted = await ReadRequestAsync(second);
            await second.SendAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray());
            var closed = await first.ReceiveAsync(new byte[1]) == 0;
            return (posted, closed, second);
        });
        using var client = new RuntimeApiClient(listener.LocalEndpoint.ToString()!);

        var refused = await Assert.ThrowsAsync<RuntimeApiException>(() => Task.Run(() => client.RespondThenNext("first", "{}"u8)).WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Run(() => client.ReportError("first", new LambdaError("Runtime.Failed", "no", []))).WaitAsync(TimeSpan.FromSeconds(10));
        var (posted, closed, second) = await server.WaitAsync(TimeSpan.FromSeconds(10));
        second.Dispose();

        Assert.Equal(500, refused.StatusCode);
        Assert.StartsWith("POST /2018-06-01/runtime/invocation/first/error ", posted, StringComparison.Ordinal);
        Assert.True(closed, "the connection holding the unanswered long poll is closed");
    }

    /// <summary>Reads one request, its body by Content-Length; returns the head.</summary>
    private static async Task<string> ReadRequestAsync(Socket socket)
    {
        var head = await ReadHeadAsync(socket);
        var length = head.Split("\r\n").Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        for (var read = 0; read < length;)
        {
            var got = await socket.ReceiveAsync(body.AsMemory(read));
            if (got == 0)
            {
                throw new EndOfStreamException("The client closed before its request body ended.");
            }

            read += got;
        }

        return head;
    }

    private static async Task<string> ReadHeadAsync(Socket socket)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await socket.ReceiveAsync(one) == 0)
            {
                throw new EndOfStreamException("The client closed before its request head ended.");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
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
