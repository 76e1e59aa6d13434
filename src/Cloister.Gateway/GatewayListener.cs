using System.Net;

namespace Cloister.Gateway;

/// <summary>
/// One address the gateway serves: an execute-api interface endpoint's network interface, or the Region's API Gateway
/// front end (<see cref="Regional"/>). Either an address to bind, or a listening socket the network fabric opened
/// inside the VPC's (or the region's) namespace.
/// </summary>
/// <param name="VpcEndpointId">The <c>vpce-</c> id every connection on this listener arrives through; empty for the regional front end.</param>
/// <param name="VpcId">The VPC the endpoint is in; empty for the regional front end.</param>
/// <param name="EndPoint">The address and port to bind; null when <paramref name="SocketHandle"/> is given.</param>
/// <param name="SocketHandle">A listening socket's file descriptor, already bound; null to bind <paramref name="EndPoint"/>.</param>
public sealed record GatewayListener(string VpcEndpointId, string VpcId, IPEndPoint? EndPoint, ulong? SocketHandle = null)
{
    /// <summary>
    /// Whether this is the Region's API Gateway front end (the region's execute-api address), where public APIs are served
    /// by their default execute-api names and their REGIONAL custom domain names (docs/gateway.md, "Regional custom domain
    /// names", "Default execute-api names of public APIs") and private APIs refused.
    /// </summary>
    public bool IsRegional { get; init; }

    /// <summary>The Region's API Gateway front end at <paramref name="endPoint"/>, or on the listening socket <paramref name="socketHandle"/>.</summary>
    public static GatewayListener Regional(IPEndPoint? endPoint, ulong? socketHandle = null) =>
        new(string.Empty, string.Empty, endPoint, socketHandle) { IsRegional = true };
}
