namespace Cloister.Gateway.Ports;

/// <summary>Where a VPC link connection goes.</summary>
/// <param name="VpcLinkId">The VPC link (the integration's <c>connectionId</c>, stage variables filled in).</param>
/// <param name="LoadBalancerArn">The network load balancer the link targets.</param>
/// <param name="Host">The host of the integration URI (the load balancer's DNS name, or any name: it is also the <c>Host</c> header).</param>
/// <param name="Port">The URI's port (80 or 443 when it names none).</param>
public sealed record VpcLinkTarget(string VpcLinkId, string LoadBalancerArn, string Host, int Port);
