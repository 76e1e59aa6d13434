using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Templates.Mapping;

/// <summary>API Gateway's VPC links and custom domain names: public (<c>DomainName</c>) and private (<c>DomainNameV2</c>), base path mappings and access associations.</summary>
internal sealed partial class ModelBuilder
{
    private readonly List<VpcLink> _vpcLinks = [];
    private readonly List<DomainName> _domainNames = [];
    private readonly List<DomainNameV2> _privateDomainNames = [];
    private readonly List<BasePathMapping> _basePathMappings = [];
    private readonly List<BasePathMappingV2> _privateBasePathMappings = [];
    private readonly List<DomainNameAccessAssociation> _accessAssociations = [];

    /// <summary>The types <see cref="BuildDomains"/> maps (a property: partial files' static fields have no set order).</summary>
    private static ImmutableArray<string> DomainTypes =>
    [
        "AWS::ApiGateway::VpcLink", "AWS::ApiGateway::DomainName", "AWS::ApiGateway::DomainNameV2",
        "AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2", "AWS::ApiGateway::DomainNameAccessAssociation",
    ];

    private void BuildDomains()
    {
        foreach (var r in OfType("AWS::ApiGateway::VpcLink"))
        {
            var targets = r.Strings("TargetArns");
            if (targets.Length != 1)
            {
                r.Problem("TargetArns", "A VPC link of a REST API targets exactly one network load balancer.");
            }
            else if (_loadBalancers.Find(l => l.Id == targets[0]) is { Type: not Model.LoadBalancing.LoadBalancerType.Network })
            {
                r.Problem("TargetArns", $"'{targets[0]}' is not a network load balancer; a REST API's VPC link needs one.");
            }

            _vpcLinks.Add(new VpcLink(r.Id, r.LogicalId, r.String("Name", required: true) ?? r.LogicalId, targets));
        }

        foreach (var r in OfType("AWS::ApiGateway::DomainName"))
        {
            var name = r.Required("DomainName").TrimEnd('.').ToLowerInvariant();
            var types = r.Map("EndpointConfiguration") is { } configuration ? r.Strings(configuration, "Types", "EndpointConfiguration.Types") : [];
            var type = types.FirstOrDefault() switch
            {
                null or "EDGE" => EndpointType.Edge,
                "REGIONAL" => EndpointType.Regional,
                var other => Invalid(r, "EndpointConfiguration.Types", other == "PRIVATE"
                    ? "A private custom domain name is an AWS::ApiGateway::DomainNameV2."
                    : $"'{other}' is not EDGE or REGIONAL.", EndpointType.Regional),
            };
            var certificate = type == EndpointType.Regional ? r.String("RegionalCertificateArn") ?? r.String("CertificateArn") : r.String("CertificateArn");
            if (certificate is null)
            {
                r.Problem(type == EndpointType.Regional ? "RegionalCertificateArn" : "CertificateArn", "A custom domain name needs a certificate.");
            }

            var (policy, accessMode) = SecurityPolicyOf(r, type == EndpointType.Edge ? EdgePolicies : RegionalPolicies, ["TLS_1_0", "TLS_1_2"]);
            _domainNames.Add(new DomainName(r.Id, r.LogicalId, name, type, certificate, policy, accessMode)
            {
                // What its DNS records point at; an edge-optimized name is CloudFront's and has none the sandbox answers.
                RegionalDomainName = type == EndpointType.Regional && r.Resource.Attribute("RegionalDomainName") is { Length: > 0 } regional ? regional.ToLowerInvariant() : null,
            });
        }

        foreach (var r in OfType("AWS::ApiGateway::DomainNameV2"))
        {
            var name = r.Required("DomainName").TrimEnd('.').ToLowerInvariant();
            var types = r.Map("EndpointConfiguration") is { } configuration ? r.Strings(configuration, "Types", "EndpointConfiguration.Types") : [];
            if (types.FirstOrDefault() is { } type && type != "PRIVATE")
            {
                r.Problem("EndpointConfiguration.Types", $"'{type}': an AWS::ApiGateway::DomainNameV2 is PRIVATE.");
            }

            if (r.String("CertificateArn") is null)
            {
                r.Problem("CertificateArn", "A private custom domain name needs a certificate.");
            }

            // A private name's legacy policy is TLS_1_2 alone, the only one private endpoints have.
            var (policy, accessMode) = SecurityPolicyOf(r, RegionalPolicies, ["TLS_1_2"]);
            _privateDomainNames.Add(new DomainNameV2(r.Id, r.LogicalId, name, r.Resource.Attribute("DomainNameId"), r.String("CertificateArn"), r.Json("Policy"), policy, accessMode));
        }

        foreach (var r in OfType("AWS::ApiGateway::BasePathMapping"))
        {
            var domain = r.Required("DomainName").TrimEnd('.').ToLowerInvariant();
            if (_domainNames.TrueForAll(d => d.Name != domain))
            {
                r.Problem("DomainName", $"'{domain}' is not a custom domain name (AWS::ApiGateway::DomainName) of these templates.");
            }

            var apiId = RequiredApi(r);
            _basePathMappings.Add(new BasePathMapping(r.Id, r.LogicalId, domain, BasePath(r), apiId, MappedStage(r, apiId)));
        }

        foreach (var r in OfType("AWS::ApiGateway::BasePathMappingV2"))
        {
            var domainArn = r.Required("DomainNameArn");
            if (_privateDomainNames.TrueForAll(d => d.Id != domainArn))
            {
                r.Problem("DomainNameArn", $"'{domainArn}' is not a private custom domain name (AWS::ApiGateway::DomainNameV2) of these templates.");
            }

            var apiId = RequiredApi(r);
            if (_apis.Find(a => a.Id == apiId) is { EndpointType: not EndpointType.Private } api)
            {
                r.Problem("RestApiId", $"A private custom domain name maps only PRIVATE APIs; {api.LogicalId} is not one.");
            }

            _privateBasePathMappings.Add(new BasePathMappingV2(r.Id, r.LogicalId, domainArn, BasePath(r), apiId, MappedStage(r, apiId)));
        }

        foreach (var r in OfType("AWS::ApiGateway::DomainNameAccessAssociation"))
        {
            var domainArn = r.Required("DomainNameArn");
            if (_privateDomainNames.TrueForAll(d => d.Id != domainArn))
            {
                r.Problem("DomainNameArn", $"'{domainArn}' is not a private custom domain name (AWS::ApiGateway::DomainNameV2) of these templates.");
            }

            var sourceType = r.String("AccessAssociationSourceType") ?? "VPCE";
            if (sourceType != "VPCE")
            {
                r.Problem("AccessAssociationSourceType", $"'{sourceType}' is not VPCE, the only source type API Gateway has.");
            }

            var source = r.Required("AccessAssociationSource");
            if (!source.StartsWith("vpce-", StringComparison.Ordinal))
            {
                r.Problem("AccessAssociationSource", $"'{source}' is not a VPC endpoint id.");
            }

            _accessAssociations.Add(new DomainNameAccessAssociation(r.Id, r.LogicalId, domainArn, sourceType, source));
        }
    }

    /// <summary>The enhanced security policies of regional and private endpoints (API Gateway's <c>SecurityPolicy</c> values without the edge ones).</summary>
    private static ImmutableArray<string> RegionalPolicies =>
    [
        "SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_3_FIPS_2025_09", "SecurityPolicy_TLS13_1_2_2021_06",
        "SecurityPolicy_TLS13_1_2_PQ_2025_09", "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
        "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
    ];

    /// <summary>The enhanced security policies of edge-optimized endpoints.</summary>
    private static ImmutableArray<string> EdgePolicies =>
        ["SecurityPolicy_TLS13_2025_EDGE", "SecurityPolicy_TLS12_PFS_2025_EDGE", "SecurityPolicy_TLS12_2018_EDGE"];

    /// <summary>
    /// <c>SecurityPolicy</c> (none: <c>TLS_1_2</c>) and <c>EndpointAccessMode</c> as API Gateway accepts them: a policy of the endpoint
    /// type; an enhanced policy (<c>SecurityPolicy_*</c>) needs an access mode, <c>BASIC</c> or <c>STRICT</c>, and a legacy one has none.
    /// </summary>
    private static (string Policy, string? AccessMode) SecurityPolicyOf(PropertyReader r, ImmutableArray<string> enhanced, ImmutableArray<string> legacy)
    {
        var policy = r.String("SecurityPolicy") ?? "TLS_1_2";
        var accessMode = r.String("EndpointAccessMode");
        var isEnhanced = enhanced.Contains(policy);
        if (!isEnhanced && !legacy.Contains(policy))
        {
            r.Problem("SecurityPolicy", $"'{policy}' is not a security policy of this endpoint type: {string.Join(", ", legacy)} or one of {string.Join(", ", enhanced)}.");
            return (policy, accessMode);
        }

        if (accessMode is not (null or "BASIC" or "STRICT"))
        {
            r.Problem("EndpointAccessMode", $"'{accessMode}' is not BASIC or STRICT.");
        }
        else if (isEnhanced && accessMode is null)
        {
            r.Problem("EndpointAccessMode", $"An enhanced security policy ({policy}) needs an endpoint access mode, BASIC or STRICT.");
        }
        else if (!isEnhanced && accessMode is not null)
        {
            r.Problem("EndpointAccessMode", $"Only an enhanced security policy (SecurityPolicy_*) has an endpoint access mode; {policy} has none.");
        }

        return (policy, accessMode);
    }

    private string RequiredApi(PropertyReader r)
    {
        var apiId = r.Required("RestApiId");
        if (_apis.TrueForAll(a => a.Id != apiId))
        {
            r.Problem("RestApiId", $"'{apiId}' is not a REST API of these templates.");
        }

        return apiId;
    }

    /// <summary>The mapping's stage, which must be a stage of the API (API Gateway refuses the mapping otherwise).</summary>
    private string? MappedStage(PropertyReader r, string apiId)
    {
        var stage = r.String("Stage");
        if (stage is not null && _apis.Exists(a => a.Id == apiId) && !_stages.Exists(s => s.RestApiId == apiId && s.StageName == stage))
        {
            r.Problem("Stage", $"'{stage}' is not a stage of the API.");
        }

        return stage;
    }

    /// <summary>No BasePath, empty or <c>(none)</c> map the whole domain; a base path is one segment.</summary>
    private static string BasePath(PropertyReader r)
    {
        var basePath = (r.String("BasePath") ?? string.Empty).Trim('/');
        if (basePath == "(none)")
        {
            return string.Empty;
        }

        if (basePath.Contains('/', StringComparison.Ordinal))
        {
            r.Problem("BasePath", $"'{basePath}': Cloister maps one path segment, as REST API base path mappings of one level do.");
        }

        return basePath;
    }
}
