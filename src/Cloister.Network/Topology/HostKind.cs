namespace Cloister.Network.Topology;

/// <summary>What a host (a network namespace holding one ENI address) stands for.</summary>
public enum HostKind
{
    /// <summary>An EC2 instance of the template.</summary>
    Instance,

    /// <summary>A host of an on-premises network.</summary>
    OnPremisesHost,

    /// <summary>The DNS server of an on-premises network.</summary>
    OnPremisesDnsServer,

    /// <summary>A network interface of an interface VPC endpoint.</summary>
    EndpointInterface,

    /// <summary>An IP address of a Route 53 Resolver inbound or outbound endpoint.</summary>
    ResolverEndpoint,

    /// <summary>A Lambda function's VPC network interface (one per subnet and security group set).</summary>
    FunctionInterface,

    /// <summary>The place of functions that are not in a VPC: it reaches only the region's services.</summary>
    PublicFunction,

    /// <summary>A node of an Elastic Load Balancing v2 load balancer: one per subnet of the load balancer.</summary>
    LoadBalancerNode,
}
