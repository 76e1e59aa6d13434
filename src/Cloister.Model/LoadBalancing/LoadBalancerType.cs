namespace Cloister.Model.LoadBalancing;

/// <summary>The kinds of Elastic Load Balancing v2 load balancer Cloister runs.</summary>
public enum LoadBalancerType
{
    /// <summary>Layer 4: TCP and TLS listeners.</summary>
    Network,
    /// <summary>Layer 7: HTTP and HTTPS listeners with rules.</summary>
    Application,
}
