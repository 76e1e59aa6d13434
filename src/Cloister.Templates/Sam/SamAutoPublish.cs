using System.Collections.Immutable;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// A function's <c>AutoPublishAlias</c>, as SAM expands it (<c>sam_resources.py</c> <c>_construct_version</c>,
/// <c>_construct_alias</c>): an <c>AWS::Lambda::Version</c> <c>{Id}Version{hash}</c> (DeletionPolicy Retain, so an
/// update keeps the versions it replaces) and an <c>AWS::Lambda::Alias</c> <c>{Id}Alias{name}</c> on that version. The
/// function's events are then connected to the alias, not the function: SAM passes the alias as the event's function.
/// The function's <c>ProvisionedConcurrencyConfig</c> goes on the alias (<c>_construct_alias</c>), and needs one.
/// </summary>
internal static class SamAutoPublish
{
    /// <summary>Adds the version and alias; returns the alias's logical id, or null when the function publishes none.</summary>
    public static string? Expand(string id, MapNode props, MapNode function, MapNode resource, SamContext context, ImmutableArray<MapEntry>.Builder output)
    {
        var provisioned = props.GetEntry("ProvisionedConcurrencyConfig") is { Value: not (MapNode { Entries.Length: 0 } or ScalarNode { IsNull: true }) } config ? config : null;
        if (provisioned is not null && props.Get("AutoPublishAlias") is null or ScalarNode { Value.Length: 0 })
        {
            // SAM's words, its typo included (sam_resources.py, to_cloudformation).
            context.Problem(id, "Properties.ProvisionedConcurrencyConfig", "To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function", provisioned.KeyLocation);
        }

        if (props.GetEntry("AutoPublishAlias") is not { } entry)
        {
            return null;
        }

        if (entry.Value is not ScalarNode { IsNull: false } name)
        {
            // SAM resolves a Ref to a template parameter here; Cloister's transform runs before parameters are known.
            context.Problem(id, "Properties.AutoPublishAlias", "Cloister takes AutoPublishAlias as a literal alias name, not an intrinsic function.", entry.KeyLocation);
            return null;
        }

        // SAM publishes nothing for an empty name (its check is Python's truthiness).
        if (name.Value.Length == 0)
        {
            return null;
        }

        var at = entry.KeyLocation;
        var versionId = SamLogicalIds.Version(id, HashData(props, function), props.GetString("AutoPublishCodeSha256"));
        var version = NodeFactory.Map(at, ("FunctionName", NodeFactory.Ref(id, at)), ("Description", props.Get("VersionDescription")));
        var versionEntry = SamResources.Resource(versionId, "AWS::Lambda::Version", version, at, resource);
        if (resource.Get("DeletionPolicy") is null)
        {
            var node = (MapNode)versionEntry.Value;
            versionEntry = versionEntry with { Value = node.With("DeletionPolicy", NodeFactory.Str("Retain", at)) };
        }

        var aliasId = $"{id}Alias{name.Value}";
        var alias = NodeFactory.Map(
            at,
            ("Name", NodeFactory.Str(name.Value, name.Location)),
            ("FunctionName", NodeFactory.Ref(id, at)),
            ("FunctionVersion", NodeFactory.GetAtt(versionId, "Version", at)),
            ("ProvisionedConcurrencyConfig", provisioned?.Value));
        output.Add(versionEntry);
        output.Add(SamResources.Resource(aliasId, "AWS::Lambda::Alias", alias, at, resource));
        context.References.Add(id, "Version", versionId);
        context.References.Add(id, "Alias", aliasId);
        return aliasId;
    }

    /// <summary>
    /// What SAM hashes into the version's logical id: every property of the function with
    /// <c>AutoPublishAliasAllProperties</c>; otherwise its Code (when it is a map: inline or S3 code; a local path,
    /// which SAM CLI would have replaced by its S3 location, does not enter), Environment's entries, MemorySize, and
    /// SnapStart when it applies to published versions.
    /// </summary>
    private static MapNode HashData(MapNode props, MapNode function)
    {
        if (props.Get("AutoPublishAliasAllProperties") is ScalarNode { Kind: ScalarKind.Boolean, Value: "true" })
        {
            return function;
        }

        var at = function.Location;
        var data = function.Get("Code") is MapNode code && !code.IsIntrinsic(out _, out _) ? code : new MapNode([], at);
        foreach (var environment in (function.Get("Environment") as MapNode)?.Entries ?? [])
        {
            data = data.With(environment.Key, environment.Value);
        }

        if (function.Get("MemorySize") is { } memory)
        {
            data = data.With("MemorySize", memory);
        }

        if (function.Get("SnapStart") is MapNode snapStart && snapStart.GetString("ApplyOn") is { } applyOn && applyOn != "None")
        {
            data = data.With("SnapStart", snapStart);
        }

        return data;
    }
}
