namespace Cloister.Model.Dns;

/// <summary>Which way a Resolver endpoint carries queries.</summary>
public enum ResolverDirection
{
    /// <summary>Queries from outside the VPC arrive and get the VPC's answers.</summary>
    Inbound,
    /// <summary>Queries matching FORWARD rules leave the VPC from its addresses.</summary>
    Outbound,
}
