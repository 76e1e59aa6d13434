namespace Cloister.Gateway.Hosting;

/// <summary>Set on every connection by its listener: the endpoint and VPC the connection arrived through.</summary>
/// <param name="Listener">The listener that accepted the connection.</param>
internal sealed record EndpointConnectionFeature(GatewayListener Listener);
