namespace Cloister.Model.Network;

/// <summary>
/// Where a connection to a regional service (DynamoDB...) came from, as that service sees it on AWS: the VPC the
/// client is in and the gateway endpoint its subnet's route sent it through (<c>aws:SourceVpc</c>,
/// <c>aws:SourceVpce</c>), or neither for a client outside any VPC (a function without <c>VpcConfig</c>, a host
/// reaching the service through a NAT or internet gateway route, the stack host itself).
/// </summary>
/// <param name="VpcId">The client's VPC when it came through a gateway endpoint; null otherwise.</param>
/// <param name="VpceId">The gateway endpoint (<c>vpce-...</c>) it came through; null otherwise.</param>
/// <param name="SourceIp">The client's address as the service sees it.</param>
public sealed record ServiceOrigin(string? VpcId, string? VpceId, string SourceIp)
{
    /// <summary>A client outside any VPC at <paramref name="sourceIp"/>.</summary>
    public static ServiceOrigin Outside(string sourceIp) => new(null, null, sourceIp);
}
