using Cloister.Model.Api;
using Cloister.Model.Identifiers;

namespace Cloister.Templates.Evaluation;

/// <summary>API Gateway (REST) types.</summary>
internal static partial class ResourceCatalog
{
    private static IEnumerable<ResourceType> ApiTypes()
    {
        yield return T("AWS::ApiGateway::RestApi", "RestApiId RootResourceId", c =>
        {
            var id = c.NewId(IdKind.RestApi);
            return c.Set("RestApiId", id).Set("RootResourceId", c.NewId(IdKind.ApiResource)).Done(id);
        });
        yield return Simple("AWS::ApiGateway::Resource", IdKind.ApiResource, "ResourceId");
        yield return T("AWS::ApiGateway::Method", string.Empty, c => c.Done($"{c.Prop("ResourceId")}|{c.Prop("HttpMethod")}"));
        yield return Simple("AWS::ApiGateway::Deployment", IdKind.Deployment, "DeploymentId");
        yield return T("AWS::ApiGateway::Stage", string.Empty, c => c.Done(c.Prop("StageName") ?? c.LogicalId));
        yield return Simple("AWS::ApiGateway::VpcLink", IdKind.VpcLink, "VpcLinkId");
        yield return T("AWS::ApiGateway::DomainName", "DistributionDomainName DistributionHostedZoneId RegionalDomainName RegionalHostedZoneId", c =>
        {
            var name = c.Prop("DomainName") ?? c.LogicalId;
            // API Gateway draws the regional name as it draws an API id (ten lowercase alphanumerics after "d-"); the model's
            // DomainName carries it (ModelBuilder.Domains), so DNS answers it and an alias to it (docs/dns.md).
            var regional = $"d-{c.NewId(IdKind.RestApi)}.execute-api.{c.Region}.{c.State.Account.UrlSuffix}";
            // The Region's zone from AWS's endpoint table; a Region the table does not list gets a made-up id of the same shape.
            var zone = ApiGatewayHostedZones.RegionalOf(c.Region) ?? "Z" + c.NewId(IdKind.HostedZone)[1..14];
            return c.Set("DistributionDomainName", $"{c.NewId(IdKind.RestApi)}.cloudfront.net").Set("DistributionHostedZoneId", ApiGatewayHostedZones.Edge)
                .Set("RegionalDomainName", regional).Set("RegionalHostedZoneId", zone)
                .Done(name);
        });
        yield return T("AWS::ApiGateway::DomainNameV2", "DomainNameArn DomainNameId", c =>
        {
            // Host names are case-insensitive; the ARN carries the name as API Gateway keeps it, in lower case.
            var name = (c.Prop("DomainName") ?? c.LogicalId).TrimEnd('.').ToLowerInvariant();
            var id = c.NewId(IdKind.DomainNameId);
            var arn = c.Arn("apigateway", $"/domainnames/{name}+{id}");
            return c.Set("DomainNameArn", arn).Set("DomainNameId", id).Done(arn);
        });
        yield return T("AWS::ApiGateway::BasePathMapping", string.Empty, c => c.Done($"{c.Prop("DomainName")}/{c.Prop("BasePath")}"));
        yield return T("AWS::ApiGateway::BasePathMappingV2", "BasePathMappingArn", c =>
        {
            var arn = $"{c.Prop("DomainNameArn")}/basepathmappings/{c.Prop("BasePath") ?? "(none)"}";
            return c.Set("BasePathMappingArn", arn).Done(arn);
        });
        yield return T("AWS::ApiGateway::DomainNameAccessAssociation", "DomainNameAccessAssociationArn", c =>
        {
            var arn = c.Arn("apigateway", "/domainnameaccessassociations/" + c.NewId(IdKind.ApiKey));
            return c.Set("DomainNameAccessAssociationArn", arn).Done(arn);
        });
        yield return Simple("AWS::ApiGateway::ApiKey", IdKind.ApiKey, "APIKeyId");
        yield return Simple("AWS::ApiGateway::UsagePlan", IdKind.UsagePlan, "Id");
        yield return Simple("AWS::ApiGateway::UsagePlanKey", IdKind.ApiKey, "Id");
        yield return Simple("AWS::ApiGateway::Authorizer", IdKind.Authorizer, "AuthorizerId");
        yield return Simple("AWS::ApiGateway::GatewayResponse", IdKind.Authorizer, "Id");
        yield return Simple("AWS::ApiGateway::RequestValidator", IdKind.Authorizer, "RequestValidatorId");

        // Ref gives the model's name; without one, CloudFormation makes one up (here: the logical id).
        yield return T("AWS::ApiGateway::Model", string.Empty, c => c.Done(c.Prop("Name") ?? c.LogicalId));
        yield return T("AWS::ApiGateway::Account", "Id", c => c.Set("Id", c.Account).Done(c.Account));
    }
}
