using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>Set on every connection an application load balancer accepts: which listener and which node took it.</summary>
internal sealed record ApplicationConnection(string ListenerId, IPAddress Node);
