using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>Where the sandbox's CloudWatch Logs API listens, which log groups it serves and whom it knows.</summary>
public sealed record LogsOptions
{
    /// <summary>An already bound, listening socket to serve HTTPS on (the region's Logs address); requires <see cref="Certificate"/>.</summary>
    public Socket? HttpsSocket { get; init; }

    /// <summary>An address to serve HTTPS on (port 0 picks a free one); requires <see cref="Certificate"/>.</summary>
    public IPEndPoint? HttpsEndPoint { get; init; }

    /// <summary>The certificate of the HTTPS socket and end point, with its private key.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Listeners on the network interfaces of <c>logs</c> interface VPC endpoints, each with its own certificate.</summary>
    public IReadOnlyList<InterfaceEndpointListener> EndpointListeners { get; init; } = [];

    /// <summary>The account, region and partition of the log groups' ARNs.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>The log groups served and the files of their events.</summary>
    public IReadOnlyList<LogGroupSource> Groups { get; init; } = [];

    /// <summary>
    /// Where the groups, streams and events callers create are kept (CreateLogGroup, CreateLogStream, PutLogEvents);
    /// unset: those operations are not served.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Who the callers are, where their connections came from and the <c>logs</c> endpoints' policies (the sandbox's
    /// <c>CallerDirectory.Find</c>, <c>Sandbox.OriginOf</c>). Unset: no key is known, so every signed call is refused.
    /// </summary>
    public LogsAccess Access { get; init; } = new();

    /// <summary>Where the API logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock signatures are checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
