using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Bench;

/// <summary>
/// A Kestrel endpoint that answers every POST with the same GetItem response (with its CRC32), doing
/// no DynamoDB work at all: the SDK driving it measures the client's and bare Kestrel's cost alone.
/// </summary>
public sealed class CannedEndpoint : IAsyncDisposable
{
    private readonly WebApplication _application;

    private CannedEndpoint(WebApplication application, Uri url)
    {
        _application = application;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<CannedEndpoint> StartAsync(string payload)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"Item\":{{\"PK\":{{\"S\":\"k-0-0\"}},\"payload\":{{\"S\":\"{payload}\"}},\"n\":{{\"N\":\"42\"}}}}}}");
        var crc = Cloister.Shared.Hashing.Crc32.Compute(body).ToString(CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var application = builder.Build();
        application.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-RequestId"] = "BENCHREQUESTID";
            context.Response.Headers["x-amz-crc32"] = crc;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        await application.StartAsync();
        var address = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CannedEndpoint(application, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }
}
