using System.Collections.Immutable;
using Cloister.Templates.Code;
using Cloister.Templates.Evaluation;
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

        if (AliasName(id, entry, context) is not { } name)
        {
            return null;
        }

        if (!LogicalNames.IsAlphanumeric(id + "Alias" + name.Value))
        {
            // SAM names the alias {Id}Alias{name}, and its Resource refuses a logical id that is not alphanumeric.
            context.Problem(id, "Properties.AutoPublishAlias", $"Resource with id [{id}Alias{name.Value}] is invalid. Logical ids must be alphanumeric.", entry.KeyLocation);
            return null;
        }

        var at = entry.KeyLocation;
        var sha = props.GetEntry("AutoPublishCodeSha256");
        var codeSha256 = sha is null ? null : Resolved(sha.Value, context);
        if (sha is not null && codeSha256 is null)
        {
            context.Problem(id, "Properties.AutoPublishCodeSha256", "AutoPublishCodeSha256 must be a string", sha.KeyLocation);
        }

        var versionId = SamLogicalIds.Version(id, HashData(props, function, context), codeSha256);
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
    /// The alias's name as SAM's <c>_get_resolved_alias_name</c> finds it: a string, or a <c>Ref</c> to a template
    /// parameter (its value); anything else, a <c>Fn::Sub</c> included, is SAM's error. Null when nothing is published:
    /// an empty literal (SAM's truthiness), or a Ref to a parameter without a value, which is reported at the parameter.
    /// </summary>
    private static ScalarNode? AliasName(string id, MapEntry entry, SamContext context)
    {
        if (entry.Value is ScalarNode { IsNull: false } literal)
        {
            return literal.Value.Length == 0 ? null : literal;
        }

        if (Resolved(entry.Value, context) is not { } value)
        {
            if (entry.Value is not MapNode reference || !reference.IsIntrinsic(out var function, out var argument) || function != "Ref"
                || argument is not ScalarNode parameter || !context.IsParameter(parameter.Value))
            {
                context.Problem(id, "Properties.AutoPublishAlias", "'AutoPublishAlias' must be a string or a Ref to a template parameter", entry.KeyLocation);
            }

            return null;
        }

        if (value.Length == 0)
        {
            // SAM's _construct_alias: a Ref is a name until it resolves, so an empty value reaches the alias and is refused there.
            context.Problem(id, "Properties.AutoPublishAlias", "Alias name is required to create an alias", entry.KeyLocation);
            return null;
        }

        return ScalarNode.String(value, entry.Value.Location);
    }

    /// <summary>
    /// A string property as SAM's <c>resolve_parameter_refs</c> leaves it: a literal, or a <c>Ref</c> to a parameter with
    /// a value or to <c>AWS::Region</c> or <c>AWS::Partition</c>, the pseudo parameters SAM adds to the parameter values.
    /// </summary>
    private static string? Resolved(Node value, SamContext context) => value switch
    {
        ScalarNode { IsNull: false } literal => literal.Value,
        MapNode reference when reference.IsIntrinsic(out var function, out var argument) && function == "Ref" && argument is ScalarNode parameter
            => parameter.Value switch
            {
                "AWS::Region" => context.Account.Region,
                "AWS::Partition" => context.Account.Partition,
                _ => context.ParameterValue(parameter.Value),
            },
        _ => null,
    };

    /// <summary>
    /// What SAM hashes into the version's logical id: every property of the function with
    /// <c>AutoPublishAliasAllProperties</c>; otherwise its Code (when it is a map: inline or S3 code; a local path,
    /// which SAM CLI would have replaced by its S3 location, does not enter), Environment's entries, MemorySize, and
    /// SnapStart when it applies to published versions. A local path enters as the digest of its content (<see
    /// cref="LocalCodeDigest"/>), as SAM CLI's upload key made from the content enters SAM's hash; so does one given by an
    /// intrinsic that resolves from parameters, pseudo parameters, mappings and conditions. An intrinsic that does not
    /// (it names a resource) enters as written, as SAM's code dictionary with the intrinsic in it would.
    /// </summary>
    private static MapNode HashData(MapNode props, MapNode function, SamContext context)
    {
        var at = function.Location;
        var code = function.Get("Code");
        if (code is MapNode written && written.IsIntrinsic(out _, out _))
        {
            code = context.StaticText(written) is { } resolved ? ScalarNode.String(resolved, written.Location) : NodeFactory.Map(written.Location, ("CodeUri", written));
            function = function.With("Code", code);
        }

        if (code is ScalarNode { IsNull: false } path && LocalCodeDigest.Of(context.File, path.Value) is { } digest)
        {
            function = function.With("Code", NodeFactory.Map(path.Location, ("LocalCodeSha256", NodeFactory.Str(digest, path.Location))));
        }

        if (props.Get("AutoPublishAliasAllProperties") is ScalarNode { Kind: ScalarKind.Boolean, Value: "true" })
        {
            return function;
        }

        var data = function.Get("Code") as MapNode ?? new MapNode([], at);
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
