using System.Collections.Immutable;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Dynamic references to Parameter Store (<c>{{resolve:ssm:NAME[:VERSION]}}</c>), replaced once the intrinsic
/// functions are resolved, as CloudFormation does, so a reference a <c>Fn::Sub</c> builds is resolved too.
/// Other dynamic references (<c>ssm-secure</c>, <c>secretsmanager</c>) are left as written.
/// </summary>
internal sealed partial class IntrinsicEvaluator
{
    private const string ReferenceStart = "{{resolve:ssm:";

    private Node? WithDynamicReferences(Node? node, Where where)
    {
        switch (node)
        {
            case ScalarNode { IsNull: false } scalar when scalar.Value.Contains(ReferenceStart, StringComparison.Ordinal):
                var resolved = SsmParameters.ResolveReferences(scalar.Value, state.DeclaredSsmParameters, out var problem);
                if (problem is not null)
                {
                    Fail(scalar, where, problem);
                }

                return scalar with { Value = resolved, Kind = ScalarKind.String };
            case MapNode map:
                var entries = ImmutableArray.CreateBuilder<MapEntry>(map.Entries.Length);
                foreach (var entry in map.Entries)
                {
                    entries.Add(entry with { Value = WithDynamicReferences(entry.Value, where.Key(entry.WrittenAs ?? entry.Key))! });
                }

                return map with { Entries = entries.ToImmutable() };
            case ListNode list:
                return list with { Items = [.. list.Items.Select((item, i) => WithDynamicReferences(item, where.Index(i))!)] };
            default:
                return node;
        }
    }
}
