using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Tables.Access;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Hosting;

/// <summary>How to run the DynamoDB-compatible service: where its data lives and where it listens.</summary>
public sealed record TablesServerOptions
{
    /// <summary>The folder holding the SQLite database (created when missing).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>An address to serve plain HTTP on (port 0 picks a free port).</summary>
    public IPEndPoint? HttpEndPoint { get; init; }

    /// <summary>An address to serve HTTPS on; requires <see cref="Certificate"/>.</summary>
    public IPEndPoint? HttpsEndPoint { get; init; }

    /// <summary>An already bound, listening socket to serve plain HTTP on (for example one opened inside a network namespace).</summary>
    public Socket? HttpSocket { get; init; }

    /// <summary>An already bound, listening socket to serve HTTPS on; requires <see cref="Certificate"/>.</summary>
    public Socket? HttpsSocket { get; init; }

    /// <summary>
    /// Listeners on the network interfaces of DynamoDB interface VPC endpoints, each serving HTTPS with its own
    /// certificate; their connections' origin is the listener's endpoint (see <see cref="InterfaceEndpointListener"/>).
    /// </summary>
    public IReadOnlyList<InterfaceEndpointListener> EndpointListeners { get; init; } = [];

    /// <summary>The server certificate, with its private key, for the HTTPS listeners.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The account and region table ARNs and endpoints name.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>How often expired items are removed; zero or negative disables the sweeper.</summary>
    public TimeSpan TimeToLiveSweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When set, only SigV4 requests signed with one of these access key ids are accepted (signatures are not checked); otherwise any credentials are.</summary>
    public IReadOnlySet<string>? AccessKeyIds { get; init; }

    /// <summary>
    /// Access key id to secret access key. When set, every request must carry a valid SigV4 signature made with
    /// one of these (UnrecognizedClientException for other key ids, InvalidSignatureException for a wrong
    /// signature or one more than 15 minutes off). Off by default: any credentials are accepted.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SigningCredentials { get; init; }

    /// <summary>
    /// IAM authorization of every request as DynamoDB does it: callers by access key id, each connection's origin,
    /// the gateway endpoints' policies (see <see cref="TablesAccess"/>). Null (the default): no authorization, as
    /// <c>cloister serve dynamodb</c> and the benches run. Not with <see cref="AccessKeyIds"/> or <see cref="SigningCredentials"/>.
    /// </summary>
    public TablesAccess? Access { get; init; }

    /// <summary>Where the service logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock, for time to live and timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
