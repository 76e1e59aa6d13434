using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model;
using Cloister.Model.Network;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.InvokeApi;

/// <summary>Where Lambda's Invoke API listens and who may call it.</summary>
public sealed record InvokeApiOptions
{
    /// <summary>An already bound, listening socket to serve HTTPS on (the region's Lambda address); requires <see cref="Certificate"/>.</summary>
    public Socket? HttpsSocket { get; init; }

    /// <summary>An address to serve plain HTTP on (port 0 picks a free one), as <c>--endpoint-url http://...</c> reaches it.</summary>
    public IPEndPoint? HttpEndPoint { get; init; }

    /// <summary>An address to serve HTTPS on (port 0 picks a free one); requires <see cref="Certificate"/>.</summary>
    public IPEndPoint? HttpsEndPoint { get; init; }

    /// <summary>The certificate of the HTTPS socket and end point, with its private key.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Listeners on the network interfaces of Lambda interface VPC endpoints, each with its own certificate.</summary>
    public IReadOnlyList<InterfaceEndpointListener> EndpointListeners { get; init; } = [];

    /// <summary>The account and region function ARNs name.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>
    /// The VPC of each subnet (subnet id to VPC id), so GetFunction and ListFunctions give a function in a VPC its
    /// <c>VpcConfig.VpcId</c>; a subnet not in it leaves <c>VpcId</c> out.
    /// </summary>
    public IReadOnlyDictionary<string, string> VpcOfSubnet { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Who may invoke (see <see cref="LambdaAccess"/>); null: anyone may, as a local Lambda does.</summary>
    public LambdaAccess? Access { get; init; }

    /// <summary>Where the API logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock signatures are checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
