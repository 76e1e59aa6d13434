using System.Net;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.Metadata;

/// <summary>
/// The instance metadata service on 169.254.169.254:80 in every VPC router (peered VPCs share one listener): each
/// request is answered for the instance whose address it comes from in the router whose listener took it
/// (<see cref="InstanceMetadata"/>), with
/// <c>Server: EC2ws</c>. SDKs and the AWS CLI on an instance find their region and, with an instance profile, their
/// credentials there, as on EC2.
/// </summary>
public sealed class InstanceMetadataService : IAsyncDisposable
{
    private static readonly object RouterKey = new();

    private readonly WebApplication _app;

    private InstanceMetadataService(WebApplication app) => _app = app;

    /// <summary>Opens the listener in every VPC router of <paramref name="sandbox"/> and starts answering.</summary>
    public static async Task<InstanceMetadataService> StartAsync(Sandbox sandbox, Func<Instance, SandboxCredentials?> credentials, ILoggerFactory loggers, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(credentials);
        var metadata = new InstanceMetadata(() => sandbox.Model, () => sandbox.Hosts, credentials, time ?? TimeProvider.System);
        var address = IPAddress.Parse(TopologyView.InstanceMetadataAddress);
        var sockets = sandbox.VpcsByRouter().Select(router => (Router: router.Key, Socket: sandbox.OpenTcpListenerIn(router.Key, address, 80))).ToList();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var (router, socket) in sockets)
            {
                kestrel.ListenHandle((ulong)socket.Handle, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    // The listener a connection came in on names its router: the caller is the instance at its address there.
                    listen.Use(next => connection =>
                    {
                        connection.Items[RouterKey] = router;
                        return next(connection);
                    });
                });
            }
        });
        var app = builder.Build();
        app.Run(context => AnswerAsync(context, metadata));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            sockets.ForEach(s => s.Socket.Dispose());
            throw;
        }

        return new InstanceMetadataService(app);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task AnswerAsync(HttpContext context, InstanceMetadata metadata)
    {
        var request = context.Request;
        var client = context.Connection.RemoteIpAddress?.MapToIPv4().ToString() ?? string.Empty;
        var router = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(RouterKey, out var item) == true ? item as string : null;
        var answer = metadata.Handle(request.Method, request.Path.Value ?? "/", router ?? string.Empty, client, name => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null);
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.Headers.Server = "EC2ws";
        if (answer.HopLimit is { } hops && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            // The token's hop limit, as EC2 sends it: the connection's later packets keep it, which matters only to a
            // client too many hops away, and that one has no token to send.
            socket.Ttl = (short)hops;
        }

        response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        var body = System.Text.Encoding.UTF8.GetBytes(answer.Body);
        response.ContentLength = body.Length;
        return request.Method == "HEAD" ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
