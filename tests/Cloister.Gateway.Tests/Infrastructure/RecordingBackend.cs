using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a backend (or for the instances behind a network load
/// balancer): it answers with a JSON description of the request it got, with the status a <c>status</c>
/// query parameter asks for, and an <c>X-Backend</c> header naming itself, plus one header line for each
/// <c>replyHeader=Name:value</c>; or, when asked with <c>reply</c> (base64) and <c>replyType</c>, with those bytes of that
/// type. Every request is kept, its body also as base64.
/// </summary>
public sealed class RecordingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingBackend(WebApplication app, int port, string name)
    {
        _app = app;
        Port = port;
        Name = name;
    }

    public int Port { get; }

    public string Name { get; }

    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    public static async Task<RecordingBackend> StartAsync(string name = "backend")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        RecordingBackend? self = null;
        app.Run(async context =>
        {
            using var raw = new MemoryStream();
            await context.Request.Body.CopyToAsync(raw);
            var body = System.Text.Encoding.UTF8.GetString(raw.ToArray());
            var description = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["backend"] = name,
                ["method"] = context.Request.Method,
                ["path"] = context.Request.Path.Value,
                ["rawTarget"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget,
                ["query"] = context.Request.QueryString.Value,
                ["host"] = context.Request.Host.Value,
                ["contentType"] = context.Request.ContentType,
                ["headers"] = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                ["body"] = body,
                ["bodyBase64"] = Convert.ToBase64String(raw.ToArray()),
            });
            self!.Requests.Enqueue(description);
            context.Response.StatusCode = int.TryParse(context.Request.Query["status"], out var status) ? status : 200;
            context.Response.Headers["X-Backend"] = name;
            foreach (var line in context.Request.Query["replyHeader"])
            {
                var colon = line!.IndexOf(':', StringComparison.Ordinal);
                context.Response.Headers.Append(line[..colon], line[(colon + 1)..]);
            }

            if (context.Request.Query["reply"] is [{ } reply])
            {
                context.Response.ContentType = context.Request.Query["replyType"].ToString();
                await context.Response.Body.WriteAsync(Convert.FromBase64String(reply));
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(description.GetRawText());
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        self = new RecordingBackend(app, port, name);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
