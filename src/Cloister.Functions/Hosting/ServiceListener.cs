using System.Net.Sockets;

namespace Cloister.Functions.Hosting;

/// <summary>
/// A listening socket on which an application answers as <paramref name="Service"/>, another regional service than its
/// own (Systems Manager's server answering <c>ssmmessages</c> on that service's regional address): its connections
/// carry it as a feature (<c>Features.Get&lt;ServiceListener&gt;()</c>), so the handler knows which service was called.
/// Unlike an <see cref="Cloister.Model.Network.InterfaceEndpointListener"/> it stands for no VPC endpoint.
/// </summary>
internal sealed record ServiceListener(string Service, Socket Socket);
