using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Ports;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Catalog;

/// <summary>Custom domain names, public and private, by host name, with their certificates for SNI.</summary>
internal sealed partial class GatewayCatalog
{
    /// <summary>Custom domain names by lower-case host name.</summary>
    public FrozenDictionary<string, CompiledDomain> Domains { get; private set; } = FrozenDictionary<string, CompiledDomain>.Empty;

    /// <summary>The custom domain name <paramref name="serverName"/> (SNI) names, whose certificate and policy TLS applies; null when none does (or there was no SNI).</summary>
    public CompiledDomain? DomainFor(string? serverName) =>
        !string.IsNullOrEmpty(serverName) && Domains.TryGetValue(serverName.TrimEnd('.').ToLowerInvariant(), out var domain) ? domain : null;

    private void CompileDomains(GatewayModel model, ICertificateIssuer? issuer, ILogger logger)
    {
        var certificates = (model.Certificates.IsDefault ? [] : model.Certificates).ToDictionary(c => c.Id, StringComparer.Ordinal);
        X509Certificate2? CertificateOf(string name, string? arn)
        {
            if (issuer is null)
            {
                return null;
            }

            if (arn is not null && certificates.TryGetValue(arn, out var certificate))
            {
                return issuer.Issue([certificate.DomainName, .. certificate.SubjectAlternativeNames.IsDefault ? [] : certificate.SubjectAlternativeNames]);
            }

            Log.DomainCertificateMissing(logger, name, arn ?? "(none)");
            return issuer.Issue([name]);
        }

        TlsPolicy PolicyOf(string name, string? securityPolicy)
        {
            var policy = TlsPolicy.For(securityPolicy);
            if (policy.Shortfall is { } shortfall)
            {
                Log.DomainSecurityPolicyShortfall(logger, name, policy.Name, shortfall);
            }

            return policy;
        }

        var domains = new Dictionary<string, CompiledDomain>(StringComparer.Ordinal);
        var publicMappings = (model.BasePathMappings.IsDefault ? [] : model.BasePathMappings).ToLookup(m => m.DomainName.ToLowerInvariant(), StringComparer.Ordinal);
        foreach (var domain in model.DomainNames.IsDefault ? [] : model.DomainNames)
        {
            var name = domain.Name.ToLowerInvariant();
            domains[name] = new CompiledDomain(name, false, string.Empty, null, FrozenSet<string>.Empty, BasePaths(publicMappings[name].Select(m => (m.BasePath, m.RestApiId, m.Stage))), CertificateOf(name, domain.CertificateArn), PolicyOf(name, domain.SecurityPolicy), domain.EndpointAccessMode == "STRICT", domain.EndpointType == Cloister.Model.Api.EndpointType.Edge);
        }

        var privateMappings = (model.PrivateBasePathMappings.IsDefault ? [] : model.PrivateBasePathMappings).ToLookup(m => m.DomainNameArn, StringComparer.Ordinal);
        var associations = (model.DomainNameAccessAssociations.IsDefault ? [] : model.DomainNameAccessAssociations)
            .Where(a => a.SourceType == "VPCE").ToLookup(a => a.DomainNameArn, StringComparer.Ordinal);
        foreach (var domain in model.PrivateDomainNames.IsDefault ? [] : model.PrivateDomainNames)
        {
            var name = domain.Name.ToLowerInvariant();
            var arn = domain.ExecuteApiArn(Account);
            domains[name] = new CompiledDomain(
                name,
                true,
                arn,
                domain.Policy is null ? null : CompileOrDenyAll(domain.Policy, ExecuteApiOptions(arn), name, logger),
                associations[domain.Id].Select(a => a.Source).ToFrozenSet(StringComparer.Ordinal),
                BasePaths(privateMappings[domain.Id].Select(m => (m.BasePath, m.RestApiId, m.Stage))),
                CertificateOf(name, domain.CertificateArn),
                PolicyOf(name, domain.SecurityPolicy),
                domain.EndpointAccessMode == "STRICT");
        }

        Domains = domains.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, BasePathTarget> BasePaths(IEnumerable<(string BasePath, string RestApiId, string? Stage)> mappings) =>
        mappings
            .GroupBy(m => NormalizeBasePath(m.BasePath), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => new BasePathTarget(g.First().RestApiId, g.First().Stage), StringComparer.Ordinal);

    /// <summary><c>(none)</c>, empty and <c>/</c> all mean the whole domain; otherwise the segment without slashes.</summary>
    private static string NormalizeBasePath(string basePath)
    {
        var trimmed = basePath.Trim('/');
        return trimmed == "(none)" ? string.Empty : trimmed;
    }
}
