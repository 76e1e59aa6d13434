using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Policy.Callers;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Sts;

/// <summary>Where the sandbox's STS Query API listens and whom it knows.</summary>
public sealed record StsOptions
{
    /// <summary>An already bound, listening socket to serve HTTPS on (the region's STS address); requires <see cref="Certificate"/>.</summary>
    public Socket? HttpsSocket { get; init; }

    /// <summary>An address to serve HTTPS on (port 0 picks a free one); requires <see cref="Certificate"/>.</summary>
    public IPEndPoint? HttpsEndPoint { get; init; }

    /// <summary>The certificate of the HTTPS socket and end point, with its private key.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Listeners on the network interfaces of STS interface VPC endpoints, each with its own certificate.</summary>
    public IReadOnlyList<InterfaceEndpointListener> EndpointListeners { get; init; } = [];

    /// <summary>The account and partition the root user's ARN names.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>
    /// The caller an access key id stands for (the sandbox's <c>CallerDirectory.Find</c>); null when the key is unknown
    /// (<c>InvalidClientTokenId</c>). Unset: no key is known.
    /// </summary>
    public Func<string, CallerIdentity?> Callers { get; init; } = static _ => null;

    /// <summary>
    /// Judges an AssumeRole call whose parameters are valid and issues the session (the sandbox's
    /// <c>CallerDirectory.AssumeRole</c>: the role's trust policy, the caller's policies, the session's length). Unset:
    /// AssumeRole is not served.
    /// </summary>
    public Func<AssumeRoleRequest, AssumeRoleResult>? AssumeRole { get; init; }

    /// <summary>Where the API logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock signatures are checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
