namespace Cloister.Model.Api;

/// <summary>Grants one VPC endpoint access to a private custom domain name (<c>AWS::ApiGateway::DomainNameAccessAssociation</c>).</summary>
/// <param name="Id">Its ARN.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="DomainNameArn">The private domain name's ARN.</param>
/// <param name="SourceType"><c>VPCE</c>, the only kind AWS has.</param>
/// <param name="Source">The <c>vpce-</c> id.</param>
public sealed record DomainNameAccessAssociation(string Id, string LogicalId, string DomainNameArn, string SourceType, string Source) : IResource;
