using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// The references of what is not evaluated: a resource or output whose condition is false, and the branch an
/// <c>Fn::If</c> does not take. CloudFormation checks every reference of the template before it evaluates a
/// condition, so a name that is nothing is refused there too.
/// </summary>
internal sealed partial class IntrinsicEvaluator
{
    /// <summary>Reports each name in <paramref name="node"/> that no parameter, resource, pseudo parameter or condition has.</summary>
    public void CheckUnevaluated(Node node, string resource, string path, string block) => Unevaluated(node, new Where(resource, path, block), 0);

    private void Unevaluated(Node node, Where where, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case MapNode map when map.IsIntrinsic(out var name, out var argument):
                UnevaluatedFunction(name, argument, where);
                Unevaluated(argument, where, depth + 1);
                break;
            case MapNode map:
                foreach (var entry in map.Entries)
                {
                    Unevaluated(entry.Value, where.Key(entry.WrittenAs ?? entry.Key), depth + 1);
                }

                break;
            case ListNode list:
                for (var i = 0; i < list.Items.Length; i++)
                {
                    Unevaluated(list.Items[i], where.Index(i), depth + 1);
                }

                break;
        }
    }

    private void UnevaluatedFunction(string name, Node argument, Where where)
    {
        switch (name)
        {
            case "Ref" when argument is ScalarNode { IsNull: false } target && !Names(target.Value):
                Fail(target, where, UnresolvedResource(target.Value, where));
                break;
            case "Fn::GetAtt" when GetAttTarget(argument) is { } target && !state.Declarations.ContainsKey(target):
                Fail(argument, where, $"Template error: instance of Fn::GetAtt references undefined resource {target}");
                break;
            case "Fn::Sub":
                var (text, variables) = SubParts(argument);
                foreach (var variable in DependencyGraph.SubVariables(text).Where(v => variables?.Get(v) is null))
                {
                    var dot = variable.IndexOf('.', StringComparison.Ordinal);
                    if (dot > 0 && !variable.StartsWith("AWS::", StringComparison.Ordinal) ? !state.Declarations.ContainsKey(variable[..dot]) : !Names(variable))
                    {
                        Fail(argument, where, dot > 0 ? $"Template error: instance of Fn::Sub references invalid resource attribute {variable}" : UnresolvedResource(variable, where));
                    }
                }

                break;
            case "Fn::If" when argument is ListNode { Items: [ScalarNode { IsNull: false } condition, ..] } && !state.ConditionDefinitions.ContainsKey(condition.Value):
                Fail(condition, where, $"Template error: unresolved condition dependency {condition.Value} in Fn::If");
                break;
        }
    }

    /// <summary>Whether <c>Ref</c> can name <paramref name="name"/>: a parameter, a resource or a pseudo parameter.</summary>
    private bool Names(string name) =>
        state.Parameters.ContainsKey(name) || state.Declarations.ContainsKey(name) || PseudoParameters.Contains(name);

    private static string? GetAttTarget(Node argument) => argument switch
    {
        ScalarNode { IsNull: false } dotted when dotted.Value.IndexOf('.', StringComparison.Ordinal) > 0 => dotted.Value[..dotted.Value.IndexOf('.', StringComparison.Ordinal)],
        ListNode { Items: [ScalarNode { IsNull: false } id, _] } when id.Value.Length > 0 => id.Value,
        _ => null,
    };
}
