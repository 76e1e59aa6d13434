using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model.Network;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Functions.Hosting;

/// <summary>
/// What the AWS APIs this module serves (Lambda's Invoke API, the sandbox's STS) share: one Kestrel application on
/// exactly the listeners given (HTTP/1.1, TLS 1.2 or 1.3 where a certificate is given) running one handler, and the
/// check of a request's Signature Version 4 once the caller's secret is known.
/// </summary>
internal static class HttpsApplication
{
    /// <summary>Starts <paramref name="handler"/> on the listeners <paramref name="listen"/> adds; the addresses it listens on.</summary>
    public static async Task<(WebApplication Application, IReadOnlyList<Uri> Urls)> StartAsync(
        ILoggerFactory? loggers, Action<KestrelServerOptions> listen, RequestDelegate handler, CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration: the listeners are exactly the caller's.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers ?? NullLoggerFactory.Instance);
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listen(kestrel);
        });
        var application = builder.Build();
        application.Run(handler);
        await application.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return (application, [.. addresses.Select(a => new Uri(a))]);
    }

    /// <summary>HTTP/1.1 on <paramref name="listen"/>, over TLS with <paramref name="certificate"/> when one is given.</summary>
    public static void Serve(ListenOptions listen, X509Certificate2? certificate)
    {
        listen.Protocols = HttpProtocols.Http1;
        if (certificate is not null)
        {
            listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate, SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
        }
    }

    /// <summary>
    /// Plain HTTP on <paramref name="httpEndPoint"/> when given (first, so it is the first address), HTTPS with
    /// <paramref name="certificate"/> on <paramref name="endPoint"/> and <paramref name="socket"/> (either may be null;
    /// the certificate may be null only when both are), and on every interface endpoint listener with its own
    /// certificate, whose connections carry the listener as a feature (<c>Features.Get&lt;InterfaceEndpointListener&gt;()</c>),
    /// and HTTPS with <paramref name="certificate"/> on every socket of <paramref name="services"/>, whose connections
    /// carry their <see cref="ServiceListener"/> likewise: where a regional service of the sandbox listens.
    /// </summary>
    public static void ListenRegional(
        KestrelServerOptions kestrel, IPEndPoint? endPoint, Socket? socket, X509Certificate2? certificate, IReadOnlyList<InterfaceEndpointListener> endpoints, IPEndPoint? httpEndPoint = null,
        IReadOnlyList<ServiceListener>? services = null)
    {
        services ??= [];
        if ((endPoint is not null || socket is not null || services.Count > 0) && certificate is null)
        {
            throw new ArgumentException("HTTPS listeners need a certificate.", nameof(certificate));
        }

        if (httpEndPoint is not null)
        {
            kestrel.Listen(httpEndPoint, listen => Serve(listen, null));
        }

        if (endPoint is not null)
        {
            kestrel.Listen(endPoint, listen => Serve(listen, certificate));
        }

        if (socket is not null)
        {
            kestrel.ListenHandle((ulong)socket.Handle, listen => Serve(listen, certificate));
        }

        foreach (var service in services)
        {
            kestrel.ListenHandle((ulong)service.Socket.Handle, listen => Serve(Marked(listen, service), certificate));
        }

        foreach (var endpoint in endpoints)
        {
            kestrel.ListenHandle((ulong)endpoint.Socket.Handle, listen => Serve(Marked(listen, endpoint), endpoint.Certificate));
        }
    }

    /// <summary>
    /// <paramref name="listen"/>, whose connections carry <paramref name="marker"/> as a feature: set before TLS, so a
    /// request's <c>HttpContext.Features</c> has the listener it came through, whatever the handshake says.
    /// </summary>
    private static ListenOptions Marked<T>(ListenOptions listen, T marker)
    {
        listen.Use(next => connection =>
        {
            connection.Features.Set(marker);
            return next(connection);
        });
        return listen;
    }

    /// <summary>The request's body, or null when it is longer than <paramref name="maxBytes"/> (the rest is then not read).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Null when <paramref name="request"/> (with <paramref name="body"/>) is signed with <paramref name="secret"/> as SigV4 says, else why not.</summary>
    public static SigV4Failure? Verify(HttpRequest request, ReadOnlySpan<byte> body, SigV4Authorization authorization, string secret, DateTimeOffset now)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var canonical = SigV4Canonical.CanonicalRequest(request.Method, target, request.Headers, authorization.SignedHeaders, SigV4Canonical.Hex(SHA256.HashData(body)));
        var key = SigV4Canonical.SigningKey(secret, authorization.Date, authorization.Region, authorization.Service);
        return SigV4Check.Verify(authorization, request.Headers["X-Amz-Date"].ToString(), now, canonical, key);
    }
}
