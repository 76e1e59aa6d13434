using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloister.Lambda.RuntimeClient.Tests;

/// <summary>
/// A Runtime API on loopback that hands out queued invocations and records what the runtime posts back, so the
/// client library is tested over real HTTP against the protocol, independent of Cloister.Functions.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Id, string Body)> _invocations = Channel.CreateUnbounded<(string, string)>();

    private FakeRuntimeApi(WebApplication app)
    {
        _app = app;
    }

    public Channel<PostedResult> Posted { get; } = Channel.CreateUnbounded<PostedResult>();

    public int ResponseLimit { get; set; } = int.MaxValue;

    /// <summary>When set, what <c>/next</c> answers instead of an invocation (500: "runtime should exit").</summary>
    public int? NextStatus { get; set; }

    /// <summary>Released once for every <c>GET /runtime/invocation/next</c> that arrives.</summary>
    public SemaphoreSlim NextRequested { get; } = new(0);

    public string Address => new Uri(_app.Urls.First()).Authority;

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeRuntimeApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        return api;
    }

    public void Enqueue(string id, string body) => _invocations.Writer.TryWrite((id, body));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        NextRequested.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path == "/2018-06-01/runtime/invocation/next")
        {
            NextRequested.Release();
            if (NextStatus is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("""{"errorMessage":"container error","errorType":"ServiceException"}""");
                return;
            }

            var (id, body) = await _invocations.Reader.ReadAsync(context.RequestAborted);
            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-central-1:123456789012:function:f";
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
            await context.Response.WriteAsync(body);
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var posted = await reader.ReadToEndAsync();
        var parts = path.Split('/');
        var kind = parts[^1];
        if (kind == "response" && posted.Length > ResponseLimit)
        {
            context.Response.StatusCode = 413;
            await Posted.Writer.WriteAsync(new PostedResult(parts[^2], "too-large", posted, null));
            return;
        }

        context.Response.StatusCode = 202;
        await Posted.Writer.WriteAsync(new PostedResult(parts[^2], kind, posted, context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
    }
}

public sealed record PostedResult(string RequestId, string Kind, string Body, string? ErrorType);
