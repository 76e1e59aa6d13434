using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Mapping;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;
using Cloister.Templates.Specification;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Evaluates one template: sections, parameters, conditions, resources in dependency order with their
/// intrinsics resolved, and outputs with their exports. Every problem is collected in the stack's state.
/// </summary>
internal sealed class StackEvaluator
{
    private static readonly ImmutableHashSet<string> Sections = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs", "Globals");

    private static readonly ImmutableHashSet<string> ResourceAttributes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Type", "Properties", "DependsOn", "Condition", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy");

    /// <summary>The values CloudFormation takes for <c>DeletionPolicy</c>, and for <c>UpdateReplacePolicy</c> (no <c>RetainExceptOnCreate</c>).</summary>
    private static readonly string[] DeletionPolicies = ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
    private static readonly string[] UpdateReplacePolicies = ["Delete", "Retain", "Snapshot"];

    /// <summary>CloudFormation's quotas on one template ("CloudFormation quotas": 500 resources, 200 outputs).</summary>
    private const int MaxResources = 500;
    private const int MaxOutputs = 200;

    private readonly StackState _state;
    private readonly IntrinsicEvaluator _evaluator;
    private readonly bool _ignoreUnsupported;
    private readonly List<ValidationProblem> _warnings;

    /// <summary>Resources in or behind a reported dependency cycle, which are not evaluated.</summary>
    private readonly HashSet<string> _behindCycles = new(StringComparer.Ordinal);

    public StackEvaluator(StackState state, bool ignoreUnsupported, List<ValidationProblem> warnings)
    {
        _state = state;
        _evaluator = new IntrinsicEvaluator(state);
        _ignoreUnsupported = ignoreUnsupported;
        _warnings = warnings;
    }

    public EvaluatedStack Evaluate(MapNode root, IReadOnlyDictionary<string, string> parameters)
    {
        var fileStart = new SourceLocation(_state.File, 1, 1);
        foreach (var section in root.Entries.Where(e => !Sections.Contains(e.Key)))
        {
            _state.Problem(TemplateProblems.Template, section.Key, $"Template format error: Invalid template property or properties [{section.Key}]", section.KeyLocation);
        }

        // CloudFormation knows one format version, written out (a parameter or function cannot give it).
        if (root.Get("AWSTemplateFormatVersion") is { } version and not ScalarNode { Value: "2010-09-09" })
        {
            var written = version is ScalarNode s ? $"'{s.Value}'" : version.KindName;
            _state.Problem(TemplateProblems.Template, "AWSTemplateFormatVersion", $"AWSTemplateFormatVersion must be the string 2010-09-09, the only version CloudFormation knows, not {written}.", version.Location);
        }

        var resources = Section(root, "Resources");
        SsmParameters.Declare(resources, _state);
        ParameterResolver.Resolve(Section(root, "Parameters"), parameters, _state, fileStart);
        _state.Mappings = Section(root, "Mappings");
        MappingsSection.Check(_state.Mappings, _state);
        foreach (var condition in Section(root, "Conditions")?.Entries ?? [])
        {
            _state.ConditionDefinitions[condition.Key] = condition.Value;
        }

        // Resources are declared before conditions are evaluated so that a condition naming one is told it cannot.
        // A Resources that is not a map was said so by Section.
        if ((resources is null && root.Get("Resources") is null or ScalarNode { IsNull: true }) || resources?.Entries.Length == 0)
        {
            _state.Problem(TemplateProblems.Template, "Resources", "Template format error: At least one Resources member must be defined.", root.GetEntry("Resources")?.KeyLocation ?? fileStart);
        }
        else if (resources is not null && resources.Entries.Length > MaxResources)
        {
            _state.Problem(TemplateProblems.Template, "Resources", $"Template format error: Number of resources, {resources.Entries.Length}, is greater than maximum allowed, {MaxResources}", root.GetEntry("Resources")!.KeyLocation);
        }

        Declare(resources);
        foreach (var condition in _state.ConditionDefinitions)
        {
            _evaluator.Condition(condition.Key, condition.Value, condition.Key, "Conditions." + condition.Key, Blocks.Conditions);
        }

        var evaluated = EvaluateResources();
        var outputs = EvaluateOutputs(Section(root, "Outputs"));
        return new EvaluatedStack(_state.StackName, _state.StackId, _state.File, evaluated, outputs);
    }

    private MapNode? Section(MapNode root, string name)
    {
        var entry = root.GetEntry(name);
        if (entry is null || entry.Value is ScalarNode { IsNull: true })
        {
            return null;
        }

        if (entry.Value is MapNode map)
        {
            return map;
        }

        _state.Problem(TemplateProblems.Template, name, $"The {name} section must be a map, not {entry.Value.KindName}.", entry.KeyLocation);
        return null;
    }

    private void Declare(MapNode? resources)
    {
        foreach (var entry in resources?.Entries ?? [])
        {
            var id = entry.Key;
            if (LogicalNames.Problem("Resource", id) is { } badName)
            {
                _state.Problem(id, string.Empty, badName, entry.KeyLocation);
            }

            if (_state.Parameters.ContainsKey(id))
            {
                _state.Problem(id, string.Empty, $"'{id}' is both a parameter and a resource.", entry.KeyLocation);
            }

            if (entry.Value is not MapNode node)
            {
                _state.Problem(id, string.Empty, $"A resource must be a map with a Type, not {entry.Value.KindName}.", entry.KeyLocation);
                continue;
            }

            foreach (var attribute in node.Entries.Where(e => !ResourceAttributes.Contains(e.Key)))
            {
                _state.Problem(id, attribute.Key, $"Template format error: Invalid template resource property '{attribute.Key}'", attribute.KeyLocation);
            }

            var type = node.GetString("Type");
            if (type is null)
            {
                _state.Problem(id, "Type", "A resource needs a Type.", entry.KeyLocation);
                continue;
            }

            MapNode? properties = null;
            if (node.Get("Properties") is { } props and not ScalarNode { IsNull: true })
            {
                properties = props as MapNode;
                if (properties is null)
                {
                    _state.Problem(id, "Properties", $"Properties must be a map, not {props.KindName}.", props.Location);
                }
            }

            // Written out, the names are checked whatever the resource's condition, as CloudFormation validates the
            // template; a whole Properties given by a function is checked once resolved, when the resource is evaluated.
            if (properties is not null && !properties.IsIntrinsic(out _, out _) && ResourceCatalog.Find(type) is not null)
            {
                CheckPropertyNames(id, type, properties);
            }

            if (node.Get("Condition") is { } conditionNode and not ScalarNode { Kind: ScalarKind.String })
            {
                _state.Problem(id, "Condition", TemplateProblems.ConditionMustBeString, conditionNode.Location);
            }

            CheckPolicy(id, node, "DeletionPolicy", DeletionPolicies);
            CheckPolicy(id, node, "UpdateReplacePolicy", UpdateReplacePolicies);

            var dependsOnNode = node.Get("DependsOn");
            var dependsOn = dependsOnNode switch
            {
                ScalarNode s => [s.Value],
                ListNode l => l.Items.OfType<ScalarNode>().Select(s => s.Value).ToImmutableArray(),
                _ => ImmutableArray<string>.Empty,
            };

            // DependsOn names resources; a function (a Ref is the usual slip) is refused by CloudFormation, in these words.
            if (dependsOnNode is MapNode)
            {
                _state.Problem(id, "DependsOn", "Template format error: DependsOn must be a string or list of strings.", dependsOnNode.Location);
            }
            else if (dependsOnNode is ListNode list && list.Items.Any(i => i is not ScalarNode { IsNull: false }))
            {
                _state.Problem(id, "DependsOn", "Template format error: Every DependsOn value must be a string.", dependsOnNode.Location);
            }
            _state.Declarations[id] = new ResourceDeclaration(id, type, properties, dependsOn, node.Get("Condition") is ScalarNode { Kind: ScalarKind.String } named ? named.Value : null, node, entry.KeyLocation);
        }
    }

    private ImmutableArray<EvaluatedResource> EvaluateResources()
    {
        var ids = _state.Declarations.Keys.ToHashSet(StringComparer.Ordinal);
        var dependencies = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var declaration in _state.Declarations.Values)
        {
            var references = new HashSet<string>(StringComparer.Ordinal);
            if (declaration.Properties is not null)
            {
                DependencyGraph.CollectReferences(declaration.Properties, ids, references);
            }

            var dependsOnNode = declaration.Node.Get("DependsOn")!;
            foreach (var dependency in declaration.DependsOn)
            {
                if (ids.Contains(dependency))
                {
                    references.Add(dependency);
                }
                else
                {
                    _state.Problem(declaration.LogicalId, "DependsOn", $"Template format error: Unresolved resource dependencies [{dependency}] in the Resources block of the template", dependsOnNode.Location);
                }
            }

            dependencies[declaration.LogicalId] = references;
        }

        var order = DependencyGraph.Order([.. _state.Declarations.Keys], dependencies, out var cycles);
        foreach (var cycle in cycles)
        {
            // Named after how the first resource depends on the next: its DependsOn, or a Ref, GetAtt or Sub in its properties.
            var first = _state.Declarations[cycle[0]];
            var how = first.DependsOn.Contains(cycle[1], StringComparer.Ordinal) ? "DependsOn" : "Properties";
            // CloudFormation lists the resources in brackets; the chain after it says which way round they depend.
            _state.Problem(first.LogicalId, how, $"Circular dependency between resources: [{string.Join(", ", cycle.Distinct(StringComparer.Ordinal))}] ({string.Join(" -> ", cycle)})", first.Location);
        }

        _behindCycles.UnionWith(ids.Except(order, StringComparer.Ordinal));

        var result = ImmutableArray.CreateBuilder<EvaluatedResource>();
        foreach (var logicalId in order)
        {
            if (EvaluateResource(_state.Declarations[logicalId]) is { } resource)
            {
                result.Add(resource);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// CloudFormation refuses a property its type does not have, at the top of Properties or inside a structure
    /// (<c>AliasTarget.DNSNme</c>). Cloister reads only the properties it needs, so a misspelled optional one would
    /// otherwise be ignored here and fail the stack on AWS (or quietly change what it does).
    /// </summary>
    private void CheckPropertyNames(string id, string type, MapNode properties)
    {
        foreach (var (path, entry, meant) in ResourceProperties.Unknown(type, properties))
        {
            _state.Problem(id, "Properties." + path, $"Encountered unsupported property {entry.Key}.{Misspelling.DidYouMean(meant)}", entry.KeyLocation);
        }
    }

    private EvaluatedResource? EvaluateResource(ResourceDeclaration declaration)
    {
        var id = declaration.LogicalId;
        if (ResourceTypes.IsUnrecognized(declaration.Type))
        {
            // CloudFormation validates every type before it evaluates conditions, and no option deploys a type it does
            // not have: this is refused whatever the resource's condition and with IgnoreUnsupported too.
            var meant = ResourceTypes.InOtherCase(declaration.Type) ?? ResourceTypes.Closest(declaration.Type);
            _state.Problem(id, "Type", $"Template format error: Unrecognized resource types: [{declaration.Type}]{Misspelling.DidYouMean(meant)}", declaration.Node.Get("Type")!.Location);
            return null;
        }

        if (declaration.Condition is { } condition)
        {
            var at = declaration.Node.Get("Condition")!;
            if (!_evaluator.Condition(condition, at, id, "Condition", Blocks.Resources))
            {
                if (declaration.Properties is not null)
                {
                    _evaluator.CheckUnevaluated(declaration.Properties, id, "Properties", Blocks.Resources);
                }

                _state.Excluded.Add(id);
                return null;
            }
        }

        // DependsOn is ordered before this resource, so a target its condition left out is known by now.
        var excluded = declaration.DependsOn.Where(_state.Excluded.Contains).ToArray();
        if (excluded.Length > 0)
        {
            var why = string.Join("; ", excluded.Select(e => $"'{e}' is not created: its condition '{_state.Declarations[e].Condition}' is false"));
            _state.Problem(id, "DependsOn", $"Template format error: Unresolved resource dependencies [{string.Join(", ", excluded)}] in the Resources block of the template ({why}).", declaration.Node.Get("DependsOn")!.Location);
        }

        var type = ResourceCatalog.Find(declaration.Type);
        if (type is null)
        {
            var typeAt = declaration.Node.Get("Type")!.Location;
            var message = declaration.Type.StartsWith("AWS::Serverless::", StringComparison.Ordinal)
                ? $"'{declaration.Type}' needs 'Transform: AWS::Serverless-2016-10-31' at the top of the template."
                : $"Cloister does not support the resource type '{declaration.Type}'.";
            if (_ignoreUnsupported && !declaration.Type.StartsWith("AWS::Serverless::", StringComparison.Ordinal))
            {
                _warnings.Add(new ValidationProblem(id, "Type", message + " It is skipped (ignore unsupported).", typeAt));
                var placeholder = $"{_state.StackName}-{id}-unsupported";
                _state.Resources[id] = new EvaluatedResource(_state.StackName, id, declaration.Type, new MapNode([], declaration.Location), placeholder, ImmutableDictionary<string, Node>.Empty, declaration.Location, declaration.Node);
                return null;
            }

            _state.Problem(id, "Type", message, typeAt);
            return null;
        }

        var properties = declaration.Properties is null
            ? new MapNode([], declaration.Location)
            : _evaluator.Resolve(declaration.Properties, id, "Properties") as MapNode ?? new MapNode([], declaration.Location);
        if (declaration.Properties is not null && declaration.Properties.IsIntrinsic(out _, out _))
        {
            CheckPropertyNames(id, declaration.Type, properties);
        }

        if (declaration.Type == "AWS::EC2::Instance")
        {
            properties = LaunchTemplates.Apply(_state, id, properties);
        }

        var identity = type.Create(new ResourceIdentityContext(_state, id, properties, declaration.Location));
        var resource = new EvaluatedResource(_state.StackName, id, declaration.Type, properties, identity.RefValue, identity.Attributes, declaration.Location, declaration.Node);
        _state.Resources[id] = resource;
        _state.ByPhysicalId.TryAdd(identity.RefValue, resource);
        return resource;
    }

    private ImmutableArray<StackOutput> EvaluateOutputs(MapNode? section)
    {
        var outputs = ImmutableArray.CreateBuilder<StackOutput>();
        if (section is not null && section.Entries.Length > MaxOutputs)
        {
            _state.Problem(TemplateProblems.Template, "Outputs", $"Template format error: Number of outputs, {section.Entries.Length}, is greater than maximum allowed, {MaxOutputs}", section.Location);
        }

        foreach (var entry in section?.Entries ?? [])
        {
            if (LogicalNames.Problem("Output", entry.Key) is { } badName)
            {
                _state.Problem(entry.Key, string.Empty, badName, entry.KeyLocation);
            }

            if (entry.Value is not MapNode output || output.Get("Value") is not { } valueNode)
            {
                _state.Problem(entry.Key, "Value", "Template format error: Every Outputs member must contain a Value object", entry.KeyLocation);
                continue;
            }

            switch (output.Get("Condition"))
            {
                case ScalarNode { Kind: ScalarKind.String } condition when !_evaluator.Condition(condition.Value, condition, entry.Key, "Condition", Blocks.Outputs):
                    _evaluator.CheckUnevaluated(valueNode, entry.Key, "Value", Blocks.Outputs);
                    continue;
                case { } condition and not ScalarNode { Kind: ScalarKind.String }:
                    _state.Problem(entry.Key, "Condition", TemplateProblems.ConditionMustBeString, condition.Location);
                    break;
            }

            if (_behindCycles.Count > 0)
            {
                // An output of a resource left unevaluated by a reported cycle would only repeat it in other words
                // ("Fn::Select needs a list of values, not a string").
                var references = new HashSet<string>(StringComparer.Ordinal);
                DependencyGraph.CollectReferences(output, _behindCycles, references);
                if (references.Count > 0)
                {
                    continue;
                }
            }

            var value = _evaluator.Resolve(valueNode, entry.Key, "Value", Blocks.Outputs);
            var text = value switch
            {
                null => string.Empty,
                ScalarNode s => s.Value,
                ListNode l => string.Join(',', l.Items.OfType<ScalarNode>().Select(s => s.Value)),
                _ => NodeJson.Write(value),
            };
            var description = output.Get("Description") is { } d ? _evaluator.ResolveString(d, entry.Key, "Description", Blocks.Outputs) : null;
            string? exportName = null;
            if (output.Get("Export") is MapNode export && export.Get("Name") is { } nameNode)
            {
                exportName = _evaluator.ResolveString(nameNode, entry.Key, "Export.Name", Blocks.Outputs);
                if (exportName is null || exportName.Length == 0 || !exportName.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-'))
                {
                    _state.Problem(entry.Key, "Export.Name", "The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", nameNode.Location);
                }
                else if (!_state.Exports.TryAdd(exportName, _state.StackName, ScalarNode.String(text, entry.KeyLocation), out var owner))
                {
                    _state.Problem(entry.Key, "Export.Name", $"Export with name {exportName} is already exported by stack {owner}", nameNode.Location);
                }
            }
            else if (output.Get("Export") is { } badExport)
            {
                _state.Problem(entry.Key, "Export", "The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", badExport.Location);
            }

            outputs.Add(new StackOutput(entry.Key, text, description, exportName));
        }

        return outputs.ToImmutable();
    }

    /// <summary>
    /// A resource's <c>DeletionPolicy</c> or <c>UpdateReplacePolicy</c> is one of CloudFormation's values, spelt as it
    /// spells them: one it does not know would decide, on removal, whether the resource's data goes.
    /// </summary>
    private void CheckPolicy(string id, MapNode node, string attribute, string[] allowed)
    {
        if (node.Get(attribute) is { } value && !(value is ScalarNode { Kind: ScalarKind.String } s && allowed.Contains(s.Value, StringComparer.Ordinal)))
        {
            var written = value is ScalarNode scalar ? $"'{scalar.Value}'" : value.KindName;
            _state.Problem(id, attribute, $"{attribute} must be one of {string.Join(", ", allowed)}, not {written}.", value.Location);
        }
    }
}
