namespace Cloister.Model.Network;

/// <summary>The kinds of VPC endpoint.</summary>
public enum VpcEndpointType
{
    /// <summary>Network interfaces in subnets, with private DNS (execute-api, sts, logs...).</summary>
    Interface,
    /// <summary>A route-table target for a service prefix list (DynamoDB, S3).</summary>
    Gateway,
}
