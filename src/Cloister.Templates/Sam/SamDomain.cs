using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// The <c>Domain</c> property of <c>AWS::Serverless::Api</c>: a custom domain name (<c>DomainName</c>, or
/// <c>DomainNameV2</c> for <c>EndpointConfiguration: PRIVATE</c>), one base path mapping per <c>BasePath</c>,
/// and for a private name its <c>Policy</c> and the <c>AccessAssociation</c> of a VPC endpoint, as SAM writes them.
/// </summary>
internal static class SamDomain
{
    private static readonly ImmutableHashSet<string> Properties = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "DomainName", "CertificateArn", "EndpointConfiguration", "BasePath", "SecurityPolicy", "EndpointAccessMode", "Policy", "AccessAssociation",
        "Route53", "MutualTlsAuthentication", "OwnershipVerificationCertificateArn", "NormalizeBasePath");

    /// <summary>The domain name, its base path mappings and access association; the domain name's logical id, or null when none was made.</summary>
    public static string? Expand(SamContext context, string apiId, Node? domain, string stageLogicalId, MapNode? resource, ImmutableArray<MapEntry>.Builder output)
    {
        if (domain is null)
        {
            return null;
        }

        if (domain is not MapNode props)
        {
            context.Problem(apiId, "Properties.Domain", "must be a map.", domain.Location);
            return null;
        }

        var at = props.Location;
        foreach (var entry in props.Entries.Where(e => !Properties.Contains(e.Key)))
        {
            context.Problem(apiId, "Properties.Domain." + entry.Key, $"'{entry.Key}' is not a property of a SAM API's Domain.", entry.KeyLocation);
        }

        foreach (var entry in props.Entries.Where(e => e.Key is "Route53" or "MutualTlsAuthentication"))
        {
            context.Problem(apiId, "Properties.Domain." + entry.Key, $"Cloister does not support Domain.{entry.Key} yet; write the records or settings as CloudFormation resources.", entry.KeyLocation);
        }

        var name = props.Get("DomainName");
        var certificate = props.Get("CertificateArn");
        if (name is null || certificate is null)
        {
            context.Problem(apiId, "Properties.Domain", "DomainName and CertificateArn are required.", at);
            return null;
        }

        var type = props.GetString("EndpointConfiguration") ?? "REGIONAL";
        if (type is not ("REGIONAL" or "EDGE" or "PRIVATE"))
        {
            context.Problem(apiId, "Properties.Domain.EndpointConfiguration", $"'{type}' is not REGIONAL, EDGE or PRIVATE.", at);
            return null;
        }

        var isPrivate = type == "PRIVATE";
        var domainId = (isPrivate ? "ApiGatewayDomainNameV2" : "ApiGatewayDomainName") + Hash(name);
        var domainProps = ImmutableArray.CreateBuilder<MapEntry>();
        domainProps.Add(new MapEntry("DomainName", name.Location, name));
        domainProps.Add(new MapEntry(type == "REGIONAL" ? "RegionalCertificateArn" : "CertificateArn", certificate.Location, certificate));
        domainProps.Add(new MapEntry("EndpointConfiguration", at, NodeFactory.Map(at, ("Types", NodeFactory.List(at, NodeFactory.Str(type, at))))));
        domainProps.AddRange(SamResources.Copy(props, isPrivate ? ["SecurityPolicy", "EndpointAccessMode", "Policy"] : ["SecurityPolicy", "EndpointAccessMode"]));
        output.Add(SamResources.Resource(domainId, isPrivate ? "AWS::ApiGateway::DomainNameV2" : "AWS::ApiGateway::DomainName", new MapNode(domainProps.ToImmutable(), at), at, resource));

        var basePaths = props.Get("BasePath") switch
        {
            null => ["/"],
            ScalarNode single => [single.Value],
            ListNode list => list.Items.OfType<ScalarNode>().Select(s => s.Value).ToList(),
            _ => new List<string>(),
        };
        foreach (var basePath in basePaths)
        {
            var trimmed = basePath.Trim('/');
            var suffix = new string(trimmed.Where(char.IsAsciiLetterOrDigit).ToArray());
            var mapping = NodeFactory.Map(
                at,
                (isPrivate ? "DomainNameArn" : "DomainName", NodeFactory.Ref(domainId, at)),
                ("RestApiId", NodeFactory.Ref(apiId, at)),
                ("Stage", NodeFactory.Ref(stageLogicalId, at)),
                ("BasePath", trimmed.Length == 0 ? null : NodeFactory.Str(trimmed, at)));
            output.Add(SamResources.Resource($"{apiId}{suffix}BasePathMapping", isPrivate ? "AWS::ApiGateway::BasePathMappingV2" : "AWS::ApiGateway::BasePathMapping", mapping, at, resource));
        }

        if (props.Get("AccessAssociation") is MapNode association)
        {
            if (!isPrivate)
            {
                context.Problem(apiId, "Properties.Domain.AccessAssociation", "only a PRIVATE domain name has access associations.", association.Location);
                return domainId;
            }

            if (association.Get("VpcEndpointId") is not { } endpoint)
            {
                context.Problem(apiId, "Properties.Domain.AccessAssociation.VpcEndpointId", "is required.", association.Location);
                return domainId;
            }

            output.Add(SamResources.Resource($"DomainNameAccessAssociation{Hash(name)}", "AWS::ApiGateway::DomainNameAccessAssociation", NodeFactory.Map(
                at,
                ("DomainNameArn", NodeFactory.Ref(domainId, at)),
                ("AccessAssociationSource", endpoint),
                ("AccessAssociationSourceType", NodeFactory.Str("VPCE", at))), at, resource));
        }

        return domainId;
    }

    /// <summary>SAM's logical id suffix for generated resources: the first 10 hex digits of a hash of the domain name as written (SAM uses SHA-1; the ids differ, the shape does not).</summary>
    private static string Hash(Node name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name is ScalarNode s ? s.Value : NodeJson.Write(name))))[..10];
}
