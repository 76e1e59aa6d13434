using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Hosting;

/// <summary>
/// Where a <see cref="HostedServer"/> of the sandbox's regional services (the Invoke API, STS, CloudWatch Logs) listens,
/// for which account, with which logging and clock; each service's options add what it serves and whom it knows.
/// </summary>
public abstract record HostedServerOptions
{
    /// <summary>An already bound, listening socket to serve HTTPS on (the region's address of the service); requires <see cref="Certificate"/>.</summary>
    public Socket? HttpsSocket { get; init; }

    /// <summary>An address to serve HTTPS on (port 0 picks a free one); requires <see cref="Certificate"/>.</summary>
    public IPEndPoint? HttpsEndPoint { get; init; }

    /// <summary>The certificate of the HTTPS socket and end point, with its private key.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Listeners on the network interfaces of the service's interface VPC endpoints, each with its own certificate.</summary>
    public IReadOnlyList<InterfaceEndpointListener> EndpointListeners { get; init; } = [];

    /// <summary>The account, region and partition of the ARNs the service names.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>Where the API logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock signatures are checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
