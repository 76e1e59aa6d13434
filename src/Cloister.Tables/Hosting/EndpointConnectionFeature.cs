namespace Cloister.Tables.Hosting;

/// <summary>Set on every connection accepted on a <see cref="Model.Network.InterfaceEndpointListener"/>: the interface endpoint it came through.</summary>
internal sealed class EndpointConnectionFeature(string vpcEndpointId, string vpcId)
{
    public string VpcEndpointId { get; } = vpcEndpointId;

    public string VpcId { get; } = vpcId;
}
