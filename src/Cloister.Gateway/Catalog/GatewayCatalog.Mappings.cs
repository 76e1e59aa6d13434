using System.Collections.Concurrent;
using System.Collections.Frozen;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Templates;
using Cloister.Model.Api;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Catalog;

/// <summary>Mapping templates compiled once per catalog version (so once per deployment), and the VPC links integrations name.</summary>
internal sealed partial class GatewayCatalog
{
    private const int MaxStaticResults = 1024;

    private readonly ConcurrentDictionary<string, MappingTemplate> _mappings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StaticResultKey, IntegrationResult> _staticResults = new();

    /// <summary>VPC links by id.</summary>
    public FrozenDictionary<string, VpcLink> VpcLinks { get; private set; } = FrozenDictionary<string, VpcLink>.Empty;

    /// <summary>A mapping template, compiled when the catalog was built (or on first use for one it did not see).</summary>
    public MappingTemplate Mapping(string source) => _mappings.GetOrAdd(source, MappingTemplate.Compile);

    /// <summary>
    /// The integration result of a response that depends on nothing of the request (no header mappings, a static
    /// template), built once per catalog version for each content type and backend status.
    /// </summary>
    public IntegrationResult StaticResult(IntegrationResponse response, string contentType, int status, int backendStatus, ReadOnlyMemory<byte> body)
    {
        var key = new StaticResultKey(response, contentType, backendStatus);
        if (_staticResults.TryGetValue(key, out var result))
        {
            return result;
        }

        result = IntegrationResult.Response(status, [new("Content-Type", contentType)], body, backendStatus);
        if (_staticResults.Count < MaxStaticResults)
        {
            _staticResults.TryAdd(key, result);
        }

        return result;
    }

    private void CompileMappings(GatewayModel model, ILogger logger)
    {
        VpcLinks = (model.VpcLinks.IsDefault ? [] : model.VpcLinks).ToFrozenDictionary(l => l.Id, StringComparer.Ordinal);
        foreach (var api in Apis.Values)
        {
            foreach (var stage in api.Stages.Values)
            {
                foreach (var resource in stage.Snapshot.Resources)
                {
                    foreach (var integration in resource.Methods.Select(m => m.Integration).OfType<Integration>())
                    {
                        var sources = integration.RequestTemplates.Values.Concat(
                            (integration.Responses.IsDefault ? [] : integration.Responses).SelectMany(r => r.ResponseTemplates.Values));
                        foreach (var source in sources.Where(s => !_mappings.ContainsKey(s)))
                        {
                            if (Mapping(source).Error is { } error)
                            {
                                Log.TemplateDoesNotParse(logger, api.Id, error);
                            }
                        }
                    }
                }
            }
        }
    }
}
