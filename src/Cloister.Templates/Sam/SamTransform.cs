using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Mapping;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;
using Cloister.Templates.Specification;

namespace Cloister.Templates.Sam;

/// <summary>
/// The <c>AWS::Serverless-2016-10-31</c> transform, done as SAM does it before CloudFormation sees the
/// template: Globals merged into each resource, then <c>AWS::Serverless::Function</c>, <c>Api</c> and
/// <c>SimpleTable</c> and <c>LayerVersion</c> expanded into plain CloudFormation resources (functions, roles, permissions,
/// REST APIs with their OpenAPI body and resource policy, deployments, stages, tables).
/// Generated nodes carry the location of the SAM property they come from.
/// </summary>
internal static class SamTransform
{
    public const string Name = "AWS::Serverless-2016-10-31";

    /// <summary>The transform whose functions (<c>Fn::Length</c>, <c>Fn::ToJsonString</c>, <c>FindInMap</c> defaults) the evaluator runs itself.</summary>
    public const string LanguageExtensions = "AWS::LanguageExtensions";

    /// <summary>
    /// The template transformed when it declares the transform; <paramref name="parameters"/> are the values given for its
    /// parameters, which SAM resolves where it must know a value (<c>AutoPublishAlias</c>), with the region and partition
    /// of <paramref name="account"/> (<see cref="AccountContext.Default"/> when not given); <paramref name="values"/> resolves
    /// what Cloister resolves beyond SAM, before the stack is evaluated (a <c>CodeUri</c> given by an intrinsic).
    /// </summary>
    public static MapNode ApplyIfDeclared(
        MapNode root, string file, ProblemCollector problems, IReadOnlyDictionary<string, string>? parameters = null, AccountContext? account = null, StaticValues? values = null)
    {
        var transform = root.GetEntry("Transform");
        var serverless = false;
        foreach (var item in NodeFactory.Items(transform?.Value))
        {
            if (item is ScalarNode { Value: Name })
            {
                serverless = true;
            }
            else if (item is not ScalarNode { Value: LanguageExtensions })
            {
                var name = (item as ScalarNode)?.Value ?? item.KindName;
                problems.Add("Template", "Transform", $"The transform '{name}' is not supported; Cloister runs {Name} and {LanguageExtensions}.", item.Location);
            }
        }

        if (!serverless)
        {
            if (root.GetEntry("Globals") is { } globals)
            {
                problems.Add("Template", "Globals", $"Globals needs 'Transform: {Name}'.", globals.KeyLocation);
            }

            return root;
        }

        var context = new SamContext(
            file,
            problems,
            SamGlobals.Check(root.GetEntry("Globals"), problems),
            root.Get("Parameters") as MapNode,
            parameters ?? new Dictionary<string, string>(StringComparer.Ordinal),
            account ?? AccountContext.Default,
            values);
        var resources = root.Get("Resources") as MapNode;
        if (resources is null)
        {
            return root.Without("Transform").Without("Globals");
        }

        CheckConditions(resources, problems);
        CheckProperties(resources, problems);
        var output = ImmutableArray.CreateBuilder<MapEntry>();
        var events = new List<ApiEvent>();
        foreach (var entry in resources.Entries)
        {
            if (entry.Value is MapNode { } resource && resource.GetString("Type") == SamFunction.Type)
            {
                SamFunction.Expand(entry, resource, resources, context, output, events);
            }
        }

        var apis = new SamApi(context, events);
        foreach (var entry in resources.Entries)
        {
            var type = (entry.Value as MapNode)?.GetString("Type");
            switch (type)
            {
                case SamFunction.Type:
                    break;
                case SamApi.Type:
                    apis.ExpandExplicit(entry, (MapNode)entry.Value, output);
                    break;
                case SamSimpleTable.Type:
                    SamSimpleTable.Expand(entry, (MapNode)entry.Value, context, output);
                    break;
                case SamLayerVersion.Type:
                    SamLayerVersion.Expand(entry, (MapNode)entry.Value, context, output);
                    break;
                case not null when type.StartsWith("AWS::Serverless::", StringComparison.Ordinal):
                    problems.Add(entry.Key, "Type", $"'{type}' is not supported; Cloister expands AWS::Serverless::Function, Api, SimpleTable and LayerVersion.", ((MapNode)entry.Value).Get("Type")!.Location);
                    break;
                default:
                    output.Add(entry);
                    break;
            }
        }

        apis.ExpandImplicit(resources, output);
        apis.ReportUnknownApis();
        var transformed = root.Without("Transform").Without("Globals").With("Resources", resources with { Entries = output.ToImmutable() });
        if (context.AddedConditions.Count > 0 && root.Get("Conditions") is null or MapNode or ScalarNode { IsNull: true })
        {
            // SAM writes its combined conditions over any of the same name.
            var conditions = root.Get("Conditions") as MapNode ?? new MapNode([], resources.Location);
            var added = context.AddedConditions.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            transformed = transformed.With("Conditions", conditions with { Entries = conditions.Entries.RemoveAll(c => added.Contains(c.Key)).AddRange(context.AddedConditions) });
        }

        return context.References.Resolve(transformed);
    }

    /// <summary>
    /// SAM refuses a property its resource type does not define, in these words, before it expands anything (so a
    /// misspelled optional property is not left out quietly). Types SAM has that Cloister does not expand are refused
    /// as such, so their properties are not looked at.
    /// </summary>
    private static void CheckProperties(MapNode resources, ProblemCollector problems)
    {
        foreach (var entry in resources.Entries)
        {
            if (entry.Value is not MapNode resource || resource.GetString("Type") is not { } type || !type.StartsWith("AWS::Serverless::", StringComparison.Ordinal)
                || resource.Get("Properties") is not MapNode properties || properties.IsIntrinsic(out _, out _))
            {
                continue;
            }

            foreach (var (path, property, meant) in ResourceProperties.Unknown(type, properties))
            {
                problems.Add(
                    entry.Key,
                    "Properties." + path,
                    $"Resource with id [{entry.Key}] is invalid. property {property.Key} not defined for resource of type {type}.{Misspelling.DidYouMean(meant)}",
                    property.KeyLocation);
            }

            if (type == SamFunction.Type)
            {
                CheckEventProperties(entry.Key, properties, problems);
            }
        }
    }

    /// <summary>
    /// SAM makes each event of a function a resource of its event type named after both (<c>FnHello</c> for the event
    /// Hello of Fn), and refuses a key of the event's Properties that type does not define, in these words. Event types
    /// the specification file has no list for are not checked.
    /// </summary>
    private static void CheckEventProperties(string id, MapNode function, ProblemCollector problems)
    {
        foreach (var e in (function.Get("Events") as MapNode)?.Entries ?? [])
        {
            if (e.Value is not MapNode ev || ev.GetString("Type") is not { } eventType || ev.Get("Properties") is not MapNode properties
                || properties.IsIntrinsic(out _, out _))
            {
                continue;
            }

            foreach (var (path, property, meant) in ResourceProperties.Unknown($"{SamFunction.Type}.{eventType}", properties))
            {
                problems.Add(
                    id,
                    $"Properties.Events.{e.Key}.Properties.{path}",
                    $"Resource with id [{id}{e.Key}] is invalid. property {property.Key} not defined for resource of type {eventType}.{Misspelling.DidYouMean(meant)}",
                    property.KeyLocation);
            }
        }
    }

    /// <summary>SAM refuses a Condition attribute that is not a condition's name before it expands anything.</summary>
    private static void CheckConditions(MapNode resources, ProblemCollector problems)
    {
        foreach (var entry in resources.Entries)
        {
            if (entry.Value is MapNode resource && resource.GetString("Type")?.StartsWith("AWS::Serverless::", StringComparison.Ordinal) == true
                && resource.GetEntry("Condition") is { Value: not ScalarNode { Kind: ScalarKind.String } } condition)
            {
                problems.Add(entry.Key, "Condition", TemplateProblems.ConditionMustBeString, condition.Value.Location);
            }
        }
    }
}
