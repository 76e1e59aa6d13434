using System.Net;

namespace Cloister.Gateway;

/// <summary>
/// One address the gateway serves: an execute-api interface endpoint's network interface. Either an
/// address to bind, or a listening socket the network fabric opened inside the VPC's namespace.
/// </summary>
/// <param name="VpcEndpointId">The <c>vpce-</c> id every connection on this listener arrives through.</param>
/// <param name="VpcId">The VPC the endpoint is in.</param>
/// <param name="EndPoint">The address and port to bind; null when <paramref name="SocketHandle"/> is given.</param>
/// <param name="SocketHandle">A listening socket's file descriptor, already bound; null to bind <paramref name="EndPoint"/>.</param>
public sealed record GatewayListener(string VpcEndpointId, string VpcId, IPEndPoint? EndPoint, ulong? SocketHandle = null);
