using System.Collections.Immutable;
using Cloister.Model.Network;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>An EC2 instance's <c>MetadataOptions</c> and <c>Tags</c>, which the instance metadata service honours and serves.</summary>
internal sealed partial class ModelBuilder
{
    private static readonly string[] EnabledValues = ["enabled", "disabled"];
    private static readonly string[] HttpTokensValues = ["optional", "required"];

    /// <summary>
    /// <c>MetadataOptions</c>: each value as EC2's enums are written (case-sensitive), the hop limit 1 to 64; what is not
    /// given keeps <see cref="InstanceMetadataOptions.Default"/>. <c>HttpProtocolIpv6</c> is checked and otherwise has no
    /// effect (Cloister's networks have no IPv6).
    /// </summary>
    private static InstanceMetadataOptions MetadataOptions(PropertyReader r)
    {
        var defaults = InstanceMetadataOptions.Default;
        if (r.Map("MetadataOptions") is not { } options)
        {
            return defaults;
        }

        var hopPath = "MetadataOptions.HttpPutResponseHopLimit";
        var hops = r.Int(options, "HttpPutResponseHopLimit", hopPath, defaults.HttpPutResponseHopLimit);
        if (hops is < InstanceMetadataOptions.MinHopLimit or > InstanceMetadataOptions.MaxHopLimit)
        {
            r.Problem(hopPath, $"{hops} is not from {InstanceMetadataOptions.MinHopLimit} to {InstanceMetadataOptions.MaxHopLimit}.");
            hops = defaults.HttpPutResponseHopLimit;
        }

        _ = OneOf(r, options, "HttpProtocolIpv6", EnabledValues);
        return new InstanceMetadataOptions(
            OneOf(r, options, "HttpEndpoint", EnabledValues) is { } endpoint ? endpoint == "enabled" : defaults.HttpEndpointEnabled,
            OneOf(r, options, "HttpTokens", HttpTokensValues) is { } tokens ? tokens == "required" : defaults.HttpTokensRequired,
            hops,
            OneOf(r, options, "InstanceMetadataTags", EnabledValues) is { } tags ? tags == "enabled" : defaults.InstanceMetadataTags);
    }

    private static string? OneOf(PropertyReader r, MapNode options, string key, string[] values)
    {
        var path = "MetadataOptions." + key;
        if (r.String(options, key, path) is not { } text)
        {
            return null;
        }

        if (Array.IndexOf(values, text) >= 0)
        {
            return text;
        }

        r.Problem(path, $"'{text}' is not one of {string.Join(", ", values)}.");
        return null;
    }

    /// <summary>
    /// The instance's <c>Tags</c> in order, then the three CloudFormation adds to every resource it tags. With
    /// <c>InstanceMetadataTags</c> enabled, a key the metadata service cannot serve fails the launch, as on EC2.
    /// </summary>
    private ImmutableArray<KeyValuePair<string, string>> InstanceTags(PropertyReader r, InstanceMetadataOptions options)
    {
        var tags = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (key, value, path) in r.TagList())
        {
            if (options.InstanceMetadataTags && !InstanceMetadataOptions.IsServableTagKey(key))
            {
                r.Problem(path + ".Key", $"'{Shortened(key)}' cannot be served in instance metadata (MetadataOptions.InstanceMetadataTags is enabled): "
                    + "a key there may hold only letters, digits and + - = . , _ : @, and may not be '.', '..' or '_index'.");
            }

            tags.Add(new(key, value));
        }

        tags.AddRange(CloudFormationTags(r));
        return tags.ToImmutable();
    }

    /// <summary>The tags CloudFormation adds to every resource it creates that takes tags.</summary>
    private KeyValuePair<string, string>[] CloudFormationTags(PropertyReader r)
    {
        var stackName = r.Resource.StackName;
        return
        [
            new("aws:cloudformation:stack-name", stackName),
            new("aws:cloudformation:logical-id", r.LogicalId),
            new("aws:cloudformation:stack-id", _stackIds.GetValueOrDefault(stackName, stackName)),
        ];
    }
}
