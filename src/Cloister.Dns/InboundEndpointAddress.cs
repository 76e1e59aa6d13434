namespace Cloister.Dns;

/// <summary>
/// One address of an inbound Resolver endpoint, by its VPC: unpeered VPCs with overlapping blocks may give their
/// endpoints the same address, each its own network interface in its own VPC.
/// </summary>
/// <param name="VpcId">The endpoint's VPC.</param>
/// <param name="Address">The address, as in the model's endpoint.</param>
public readonly record struct InboundEndpointAddress(string VpcId, string Address)
{
    /// <summary>The address and its VPC, as logs and errors name them.</summary>
    public override string ToString() => $"{Address} ({VpcId})";
}
