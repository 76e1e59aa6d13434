namespace Cloister.Model.Api;

/// <summary>
/// A private custom domain name (<c>AWS::ApiGateway::DomainNameV2</c>): reachable only through execute-api
/// VPC endpoints granted access by a <see cref="DomainNameAccessAssociation"/>, and only as far as its own
/// execute-api policy allows (none denies every call).
/// </summary>
/// <param name="Id">Its ARN, <c>arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{id}</c>.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">The host name, lower case.</param>
/// <param name="DomainNameId">The id API Gateway gives it (10 lowercase alphanumerics).</param>
/// <param name="CertificateArn">The ACM certificate presented for the name.</param>
/// <param name="Policy">Its execute-api policy JSON; null denies every call.</param>
/// <param name="SecurityPolicy">The TLS versions and ciphers its name is served with: <c>TLS_1_2</c> or an enhanced <c>SecurityPolicy_*</c> one.</param>
/// <param name="EndpointAccessMode"><c>BASIC</c> or <c>STRICT</c> (refuses a request whose SNI is not its name); null with a legacy policy, which has no access mode.</param>
public sealed record DomainNameV2(
    string Id,
    string LogicalId,
    string Name,
    string DomainNameId,
    string? CertificateArn,
    string? Policy,
    string SecurityPolicy = "TLS_1_2",
    string? EndpointAccessMode = null) : IResource
{
    /// <summary>The resource its policy grants <c>execute-api:Invoke</c> on: <c>arn:aws:execute-api:{region}:{account}:/domainnames/{name}+{id}</c>.</summary>
    public string ExecuteApiArn(AccountContext account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return $"arn:{account.Partition}:execute-api:{account.Region}:{account.AccountId}:/domainnames/{Name}+{DomainNameId}";
    }
}
