using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Identifiers;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>What one stack's evaluation knows so far: parameters, mappings, conditions, resources done.</summary>
internal sealed class StackState(string file, string stackName, string stackId, AccountContext account, IdGenerator ids, ExportRegistry exports, AddressAllocator addresses)
{
    public string File { get; } = file;

    public string StackName { get; } = stackName;

    public string StackId { get; } = stackId;

    public AccountContext Account { get; } = account;

    public IdGenerator Ids { get; } = ids;

    public ExportRegistry Exports { get; } = exports;

    public AddressAllocator Addresses { get; } = addresses;

    public Dictionary<string, Node> Parameters { get; } = new(StringComparer.Ordinal);

    public ImmutableHashSet<string> NoEchoParameters { get; set; } = [];

    public MapNode? Mappings { get; set; }

    public Dictionary<string, Node> ConditionDefinitions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, bool> ConditionValues { get; } = new(StringComparer.Ordinal);

    public HashSet<string> ConditionsInProgress { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ResourceDeclaration> Declarations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EvaluatedResource> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>The Parameter Store parameters a deployment of this stack can read, by name (<see cref="SsmParameters.Declare"/>).</summary>
    public Dictionary<string, string> DeclaredSsmParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources whose Condition is false: they do not exist, and referring to them is an error.</summary>
    public HashSet<string> Excluded { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the template declares <c>Transform: AWS::LanguageExtensions</c>, which makes <c>Fn::Length</c>,
    /// <c>Fn::ToJsonString</c> and <c>Fn::FindInMap</c>'s <c>DefaultValue</c> available.
    /// </summary>
    public bool LanguageExtensions { get; set; }

    /// <summary>Every evaluated resource of every stack by its Ref value, for looking up what an id refers to.</summary>
    public required Dictionary<string, EvaluatedResource> ByPhysicalId { get; init; }

    /// <summary>The resources of the stacks loaded before this one, by stack name and logical id, for <c>Fn::GetStackAtt</c>.</summary>
    public required Dictionary<string, Dictionary<string, EvaluatedResource>> PriorStacks { get; init; }

    public ProblemCollector Problems { get; } = new();

    public void Problem(string resource, string property, string message, SourceLocation location) =>
        Problems.Add(resource, property, message, location);
}
