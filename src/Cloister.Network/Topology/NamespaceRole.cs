namespace Cloister.Network.Topology;

/// <summary>What a namespace of the sandbox is for.</summary>
public enum NamespaceRole
{
    /// <summary>The empty namespace the Cloister process may live in: loopback only.</summary>
    Sandbox,

    /// <summary>The region: the service addresses of 198.18.0.0/15.</summary>
    Region,

    /// <summary>A VPC's router: per-subnet route tables, network ACLs, the <c>.2</c> resolver address.</summary>
    VpcRouter,

    /// <summary>An on-premises network's router.</summary>
    OnPremisesRouter,

    /// <summary>A host: one ENI address and its security groups.</summary>
    Host,
}
