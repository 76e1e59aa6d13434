using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// <c>AWS::EC2::LaunchTemplate</c>: an instance's <c>LaunchTemplate</c> (<c>LaunchTemplateId</c> or
/// <c>LaunchTemplateName</c>, and <c>Version</c>) brings the template's <c>LaunchTemplateData</c> into the instance's
/// properties before its identity is made, so the model needs no type of its own: what the instance gives itself wins, as
/// RunInstances takes its parameters over the launch template's. A template deployment makes each launch template once,
/// so its one version is 1, its latest and its default.
/// </summary>
internal static class LaunchTemplates
{
    /// <summary>The launch template resource type.</summary>
    public const string Type = "AWS::EC2::LaunchTemplate";

    /// <summary>The one version a launch template of a template deployment has.</summary>
    public const string OnlyVersion = "1";

    // LaunchTemplateData's members an instance takes under the same name and shape.
    private static readonly string[] SameName =
    [
        "ImageId", "InstanceType", "UserData", "KeyName", "SecurityGroupIds", "SecurityGroups", "MetadataOptions",
        "PrivateDnsNameOptions", "BlockDeviceMappings", "DisableApiTermination", "EbsOptimized",
        "InstanceInitiatedShutdownBehavior",
    ];

    /// <summary>
    /// <paramref name="properties"/> of the instance <paramref name="logicalId"/> with its launch template's data added
    /// under what it does not give itself; as they are when it names no launch template or names one that is not there
    /// (a problem on <c>LaunchTemplate</c>).
    /// </summary>
    public static MapNode Apply(StackState state, string logicalId, MapNode properties)
    {
        if (properties.Get("LaunchTemplate") is not { } reference)
        {
            return properties;
        }

        if (reference is not MapNode spec)
        {
            state.Problem(logicalId, "Properties.LaunchTemplate", "must be a map with LaunchTemplateId or LaunchTemplateName, and Version.", reference.Location);
            return properties;
        }

        if (Find(state, logicalId, spec) is not { } template || !VersionFound(state, logicalId, spec, template))
        {
            return properties;
        }

        if (template.Properties.Get("LaunchTemplateData") is not MapNode data)
        {
            return properties;
        }

        var merged = properties;
        foreach (var key in SameName)
        {
            if (properties.Get(key) is null && data.Get(key) is { } value)
            {
                merged = merged.With(key, value);
            }
        }

        if (properties.Get("IamInstanceProfile") is null && data.Get("IamInstanceProfile") is MapNode profile
            && (profile.Get("Arn") ?? profile.Get("Name")) is { } profileName)
        {
            merged = merged.With("IamInstanceProfile", profileName);
        }

        if (properties.Get("NetworkInterfaces") is null && properties.Get("SubnetId") is null && data.Get("NetworkInterfaces") is ListNode interfaces)
        {
            // The launch template's interface spells the security groups Groups; the instance's spells them GroupSet.
            merged = merged.With("NetworkInterfaces", new ListNode([.. interfaces.Items.Select(i => i is MapNode nic && nic.Get("Groups") is { } groups
                ? nic.Without("Groups").With("GroupSet", groups) : i)], interfaces.Location));
        }

        return InstanceTags(data) is { Count: > 0 } tags ? merged.With("Tags", MergedTags(properties.Get("Tags"), tags, data.Location)) : merged;
    }

    private static EvaluatedResource? Find(StackState state, string logicalId, MapNode spec)
    {
        var id = spec.GetString("LaunchTemplateId");
        var name = spec.GetString("LaunchTemplateName");
        if ((id is null) == (name is null))
        {
            state.Problem(logicalId, "Properties.LaunchTemplate", "needs exactly one of LaunchTemplateId and LaunchTemplateName.", spec.Location);
            return null;
        }

        var templates = state.Resources.Values.Where(r => r.Type == Type);
        var found = id is not null
            ? templates.FirstOrDefault(r => r.RefValue == id)
            : templates.FirstOrDefault(r => r.Attribute(HiddenAttributes.LaunchTemplateName) == name);
        if (found is not null && (id is not null || DependsOn(state, logicalId, found.LogicalId)))
        {
            return found;
        }

        var path = id is not null ? "Properties.LaunchTemplate.LaunchTemplateId" : "Properties.LaunchTemplate.LaunchTemplateName";
        var at = spec.Get(id is not null ? "LaunchTemplateId" : "LaunchTemplateName")!.Location;
        var declared = found is not null ? state.Declarations[found.LogicalId] : null;
        state.Problem(logicalId, path, declared is not null
            ? $"the launch template '{name}' is made by {declared.LogicalId}, which this instance does not depend on: CloudFormation may launch the instance first. Refer to it with !Ref {declared.LogicalId} or add DependsOn: {declared.LogicalId}."
            : id is not null
                ? $"InvalidLaunchTemplateId.NotFound: The specified launch template, with template ID {id}, does not exist."
                : $"InvalidLaunchTemplateName.NotFoundException: The specified launch template, with template name {name}, does not exist.", at);
        return null;
    }

    /// <summary>
    /// Whether the instance refers to the launch template or names it in <c>DependsOn</c>: by its name alone it may be
    /// launched before CloudFormation has made the template (both are created at once), which fails on AWS by chance.
    /// </summary>
    private static bool DependsOn(StackState state, string logicalId, string templateId)
    {
        var declaration = state.Declarations[logicalId];
        var references = new HashSet<string>(StringComparer.Ordinal);
        if (declaration.Properties is not null)
        {
            DependencyGraph.CollectReferences(declaration.Properties, new HashSet<string>([templateId], StringComparer.Ordinal), references);
        }

        return references.Contains(templateId) || declaration.DependsOn.Contains(templateId, StringComparer.Ordinal);
    }

    private static bool VersionFound(StackState state, string logicalId, MapNode spec, EvaluatedResource template)
    {
        if (spec.Get("Version") is not { } versionNode)
        {
            state.Problem(logicalId, "Properties.LaunchTemplate", "required key [Version] not found.", spec.Location);
            return false;
        }

        var version = spec.GetString("Version");
        if (version is OnlyVersion or "$Latest" or "$Default")
        {
            return true;
        }

        state.Problem(logicalId, "Properties.LaunchTemplate.Version",
            $"InvalidLaunchTemplateId.VersionNotFound: Could not find launch template version {version} for the launch template with ID {template.RefValue}: "
            + "a launch template of a template deployment has version 1 only ($Latest and $Default are 1).", versionNode.Location);
        return false;
    }

    /// <summary>The tags of the launch template's <c>TagSpecifications</c> entries for <c>instance</c>, by key.</summary>
    private static List<MapNode> InstanceTags(MapNode data) =>
        [.. NodeFactory.Items(data.Get("TagSpecifications")).OfType<MapNode>()
            .Where(s => s.GetString("ResourceType") == "instance")
            .SelectMany(s => NodeFactory.Items(s.Get("Tags")).OfType<MapNode>())];

    // The instance's own tags, then the launch template's for keys it does not give.
    private static ListNode MergedTags(Node? own, List<MapNode> fromTemplate, Cloister.Model.Validation.SourceLocation at)
    {
        var ownTags = NodeFactory.Items(own).ToList();
        var keys = ownTags.OfType<MapNode>().Select(t => t.GetString("Key")).ToHashSet(StringComparer.Ordinal);
        return new ListNode([.. ownTags, .. fromTemplate.Where(t => !keys.Contains(t.GetString("Key")))], own?.Location ?? at);
    }
}
