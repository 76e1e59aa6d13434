using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Cloister.Model.Network;

/// <summary>
/// A listener on one network interface of an interface VPC endpoint (AWS PrivateLink) of a service Cloister serves
/// (DynamoDB's table service, Lambda's Invoke API). Every connection accepted on it came through that endpoint: its
/// calls are authorized with <c>aws:SourceVpce</c> = <paramref name="VpcEndpointId"/>, <c>aws:SourceVpc</c> =
/// <paramref name="VpcId"/>, <c>aws:VpcSourceIp</c> = the client's address, and the endpoint's policy.
/// </summary>
/// <param name="VpcEndpointId">The interface endpoint (<c>vpce-...</c>).</param>
/// <param name="VpcId">The VPC the endpoint is in.</param>
/// <param name="Socket">A bound, listening socket on the endpoint's interface (opened inside its VPC's namespace).</param>
/// <param name="Certificate">The certificate for the endpoint's DNS names, with its private key; served over TLS only, as AWS does.</param>
public sealed record InterfaceEndpointListener(string VpcEndpointId, string VpcId, Socket Socket, X509Certificate2 Certificate);
