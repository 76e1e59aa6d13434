namespace Cloister.Model.Api;

/// <summary>A public custom domain name (<c>AWS::ApiGateway::DomainName</c>), regional or edge-optimized.</summary>
/// <param name="Id">The domain name itself, as AWS identifies it.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">The host name, lower case, such as <c>api.example.com</c>.</param>
/// <param name="EndpointType">Regional or edge.</param>
/// <param name="CertificateArn">The ACM certificate presented for the name (<c>RegionalCertificateArn</c> or <c>CertificateArn</c>).</param>
/// <param name="SecurityPolicy"><c>TLS_1_2</c>, <c>TLS_1_0</c> or an enhanced <c>SecurityPolicy_*</c> one.</param>
/// <param name="EndpointAccessMode"><c>BASIC</c> or <c>STRICT</c> (refuses a request whose SNI is not its name); null with a legacy policy.</param>
public sealed record DomainName(string Id, string LogicalId, string Name, EndpointType EndpointType, string? CertificateArn, string SecurityPolicy, string? EndpointAccessMode = null) : IResource
{
    /// <summary>
    /// The regional name API Gateway gives a REGIONAL name (<c>GetAtt RegionalDomainName</c>), what its DNS records point
    /// at: <c>d-{10 lowercase alphanumerics}.execute-api.{region}.amazonaws.com</c>, lower case; null for an edge-optimized
    /// name (CloudFront serves those) or when the model was built without one.
    /// </summary>
    public string? RegionalDomainName { get; init; }
}
