using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Mapping;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// The Globals section, checked as SAM checks it (<c>samtranslator/plugins/globals/globals.py</c>): each section
/// takes only the properties SAM lets it share. A function's Role, Policies, FunctionName and Events, an API's
/// StageName and DefinitionBody, anything of a SimpleTable but SSESpecification: SAM refuses them, and so does this.
/// </summary>
internal static class SamGlobals
{
    /// <summary>SAM's <c>Globals.supported_properties</c> for the sections Cloister expands.</summary>
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> Supported = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal)
    {
        ["Function"] =
        [
            "Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize", "Timeout", "VpcConfig", "Environment",
            "Tags", "PropagateTags", "Tracing", "KmsKeyArn", "AutoPublishAlias", "AutoPublishAliasAllProperties", "Layers",
            "DeploymentPreference", "RolePath", "PermissionsBoundary", "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig",
            "AssumeRolePolicyDocument", "EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn", "Architectures", "SnapStart",
            "EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig", "LoggingConfig", "RecursiveLoop", "SourceKMSKeyArn",
            "TenancyConfig", "DurableConfig", "CapacityProviderConfig", "FunctionScalingConfig", "PublishToLatestPublished",
            "VersionDeletionPolicy",
        ],
        ["Api"] =
        [
            "Auth", "Name", "DefinitionUri", "CacheClusterEnabled", "CacheClusterSize", "MergeDefinitions", "Variables",
            "EndpointConfiguration", "MethodSettings", "BinaryMediaTypes", "MinimumCompressionSize", "Cors", "GatewayResponses",
            "AccessLogSetting", "CanarySetting", "TracingEnabled", "OpenApiVersion", "Domain", "AlwaysDeploy", "PropagateTags",
            "SecurityPolicy", "EndpointAccessMode",
        ],
        ["SimpleTable"] = ["SSESpecification"],
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The Globals to merge: every section and property SAM supports; each other one is a problem.</summary>
    public static MapNode? Check(MapEntry? globals, ProblemCollector problems)
    {
        if (globals is null || globals.Value is ScalarNode { IsNull: true })
        {
            return null;
        }

        if (globals.Value is not MapNode sections)
        {
            problems.Add("Globals", string.Empty, "'Globals' section is invalid. It must be a non-empty dictionary.", globals.KeyLocation);
            return null;
        }

        var kept = ImmutableArray.CreateBuilder<MapEntry>();
        foreach (var section in sections.Entries)
        {
            if (!Supported.TryGetValue(section.Key, out var properties))
            {
                problems.Add("Globals", section.Key, $"'{section.Key}' is not a Globals section Cloister supports (Function, Api, SimpleTable).", section.KeyLocation);
                continue;
            }

            if (section.Value is not MapNode values)
            {
                problems.Add("Globals", section.Key, $"'Globals' section is invalid. The value of '{section.Key}' must be a dictionary, not {section.Value.KindName}.", section.KeyLocation);
                continue;
            }

            var unsupported = values.Entries.Where(e => !properties.Contains(e.Key)).ToList();
            foreach (var property in unsupported)
            {
                // SAM's list is long; the name meant, when one is close, saves reading it.
                problems.Add(
                    "Globals",
                    $"{section.Key}.{property.Key}",
                    $"'Globals' section is invalid. '{property.Key}' is not a supported property of '{section.Key}'. Must be one of the following values - {string.Join(", ", properties)}.{Misspelling.DidYouMean(Misspelling.Closest(properties, property.Key))}",
                    property.KeyLocation);
            }

            kept.Add(section with { Value = values with { Entries = values.Entries.RemoveAll(unsupported.Contains) } });
        }

        return sections with { Entries = kept.ToImmutable() };
    }
}
