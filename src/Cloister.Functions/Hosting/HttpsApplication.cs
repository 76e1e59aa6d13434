using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>Null when <paramref name="request"/> (with <paramref name="body"/>) is signed with <paramref name="secret"/> as SigV4 says, else why not.</summary>
    public static SigV4Failure? Verify(HttpRequest request, ReadOnlySpan<byte> body, SigV4Authorization authorization, string secret, DateTimeOffset now)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var canonical = SigV4Canonical.CanonicalRequest(request.Method, target, request.Headers, authorization.SignedHeaders, SigV4Canonical.Hex(SHA256.HashData(body)));
        var key = SigV4Canonical.SigningKey(secret, authorization.Date, authorization.Region, authorization.Service);
        return SigV4Check.Verify(authorization, request.Headers["X-Amz-Date"].ToString(), now, canonical, key);
    }
}
