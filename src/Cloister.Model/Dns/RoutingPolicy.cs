namespace Cloister.Model.Dns;

/// <summary>How Route 53 answers among the record sets that share a name and type (the routing policies of private hosted zones).</summary>
public enum RoutingPolicy
{
    /// <summary>One record set per name and type; its values are the answer.</summary>
    Simple,

    /// <summary>One record set per query, chosen in proportion to the weights (<c>Weight</c>).</summary>
    Weighted,

    /// <summary>The <c>PRIMARY</c> record set while it is healthy, else the <c>SECONDARY</c> one (<c>Failover</c>).</summary>
    Failover,

    /// <summary>The record set of the querying VPC's Region, or the nearest one (<c>Region</c>).</summary>
    Latency,

    /// <summary>The record set whose location holds the querying VPC's Region, else the default (<c>GeoLocation</c>).</summary>
    Geolocation,

    /// <summary>Up to eight healthy record sets chosen at random (<c>MultiValueAnswer</c>).</summary>
    MultiValueAnswer,
}
