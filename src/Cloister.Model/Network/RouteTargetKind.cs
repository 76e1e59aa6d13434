namespace Cloister.Model.Network;

/// <summary>Where a route sends traffic.</summary>
public enum RouteTargetKind
{
    /// <summary>Inside the VPC (the local route).</summary>
    Local,
    /// <summary>A VPC peering connection (<c>pcx-</c>).</summary>
    PeeringConnection,
    /// <summary>A gateway VPC endpoint (<c>vpce-</c>) for a service prefix list.</summary>
    GatewayEndpoint,
    /// <summary>A virtual private gateway (<c>vgw-</c>), towards a VPN or Direct Connect.</summary>
    VpnGateway,
    /// <summary>An internet gateway (<c>igw-</c>); the sandbox has no internet behind it.</summary>
    InternetGateway,
    /// <summary>A NAT gateway.</summary>
    NatGateway,
    /// <summary>A transit gateway.</summary>
    TransitGateway,
    /// <summary>A network interface (<c>eni-</c>).</summary>
    NetworkInterface,
    /// <summary>Drops the traffic.</summary>
    Blackhole,
}
