using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Bench;

/// <summary>
/// The canned GetItem response from Kestrel's socket transport with no Kestrel HTTP: a connection
/// handler reads the connection's pipe, scans whole requests and writes the canned bytes.
/// </summary>
public sealed class CannedConnectionHandler(CannedHttp canned) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = 0;
            var answered = false;
            ReadOnlySpan<byte> bytes = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
            while (true)
            {
                var length = CannedHttp.Scan(bytes[consumed..], out _);
                if (length < 0)
                {
                    output.Write(CannedHttp.ContinueBytes);
                    answered = true;
                    break;
                }

                if (length == 0)
                {
                    break;
                }

                output.Write(canned.Response);
                answered = true;
                consumed += length;
            }

            input.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            if (answered)
            {
                await output.FlushAsync().ConfigureAwait(false);
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    public static async Task<(WebApplication Application, Uri Url)> StartAsync(string payload)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CannedHttp(payload));
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseConnectionHandler<CannedConnectionHandler>()));
        var application = builder.Build();
        await application.StartAsync().ConfigureAwait(false);
        var address = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (application, new Uri(address));
    }
}
