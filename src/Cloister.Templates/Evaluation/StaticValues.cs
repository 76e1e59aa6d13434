using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// A template's values as they are before any of its resources exists: a node resolved against the parameters, pseudo
/// parameters, mappings and conditions alone. The SAM transform runs before the stack is evaluated and needs some values
/// (a <c>CodeUri</c> given by an intrinsic, whose content enters a version's hash). The work is done on a scratch copy
/// of the stack's state, made when first asked, so that what it finds wrong is reported once, by the stack's evaluation.
/// </summary>
internal sealed class StaticValues(StackState state, MapNode root, IReadOnlyDictionary<string, string> given)
{
    private (StackState Scratch, IntrinsicEvaluator Evaluator)? _prepared;

    /// <summary>The text <paramref name="node"/> resolves to; null when it needs a resource, an import or fails.</summary>
    public string? Text(Node node)
    {
        var (scratch, evaluator) = _prepared ??= Prepare();
        var before = scratch.Problems.Count;
        var value = evaluator.Resolve(node, string.Empty, string.Empty);
        return scratch.Problems.Count == before && value is ScalarNode { IsNull: false } text ? text.Value : null;
    }

    private (StackState, IntrinsicEvaluator) Prepare()
    {
        var scratch = new StackState(state.File, state.StackName, state.StackId, state.Account, state.Ids, state.Exports, new AddressAllocator())
        {
            ByPhysicalId = [],
            PriorStacks = [],
            LanguageExtensions = state.LanguageExtensions,
            Mappings = root.Get("Mappings") as MapNode,
        };
        ParameterResolver.Resolve(root.Get("Parameters") as MapNode, given, scratch, new SourceLocation(state.File, 1, 1));
        foreach (var condition in (root.Get("Conditions") as MapNode)?.Entries ?? [])
        {
            scratch.ConditionDefinitions[condition.Key] = condition.Value;
        }

        return (scratch, new IntrinsicEvaluator(scratch));
    }
}
