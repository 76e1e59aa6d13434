using System.Text;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// SAM's referenceable properties: <c>!Ref MyApi.Stage</c>, <c>!Ref MyApi.Deployment</c> (and the usage plan,
/// API key and domain name SAM generated for an API) name the resource the transform made, so SAM rewrites
/// them, in <c>Ref</c>, <c>Fn::GetAtt</c> and <c>Fn::Sub</c> anywhere in the template, to that resource's logical id.
/// </summary>
internal sealed class SamReferences
{
    private readonly Dictionary<string, string> _targets = new(StringComparer.Ordinal);

    public void Add(string logicalId, string property, string target) => _targets[$"{logicalId}.{property}"] = target;

    public MapNode Resolve(MapNode root) => _targets.Count == 0 ? root : (MapNode)Resolve((Node)root);

    private Node Resolve(Node node)
    {
        switch (node)
        {
            case MapNode map when map.IsIntrinsic(out var name, out var argument):
                var resolved = name switch
                {
                    "Ref" when argument is ScalarNode { IsNull: false } target && _targets.TryGetValue(target.Value, out var id) => target with { Value = id },
                    "Fn::GetAtt" => GetAtt(argument),
                    "Fn::Sub" => Sub(argument),
                    _ => Resolve(argument),
                };
                return map with { Entries = [map.Entries[0] with { Value = resolved }] };
            case MapNode map:
                return map with { Entries = [.. map.Entries.Select(e => e with { Value = Resolve(e.Value) })] };
            case ListNode list:
                return list with { Items = [.. list.Items.Select(Resolve)] };
            default:
                return node;
        }
    }

    /// <summary><c>[MyApi.Deployment, DeploymentId]</c> or <c>MyApi.Deployment.DeploymentId</c> becomes <c>[MyApiDeployment1234567890, DeploymentId]</c>.</summary>
    private Node GetAtt(Node argument)
    {
        var parts = argument switch
        {
            ScalarNode { IsNull: false } dotted => dotted.Value.Split('.'),
            ListNode list when list.Items.All(i => i is ScalarNode { IsNull: false }) => string.Join('.', list.Items.Cast<ScalarNode>().Select(s => s.Value)).Split('.'),
            _ => [],
        };
        if (parts.Length < 3 || !_targets.TryGetValue($"{parts[0]}.{parts[1]}", out var id))
        {
            return Resolve(argument);
        }

        var at = argument.Location;
        return NodeFactory.List(at, NodeFactory.Str(id, at), NodeFactory.Str(string.Join('.', parts[2..]), at));
    }

    /// <summary><c>${MyApi.Stage}</c> becomes <c>${MyApiProdStage}</c>, <c>${MyApi.Deployment.DeploymentId}</c> <c>${MyApiDeployment1234567890.DeploymentId}</c>.</summary>
    private Node Sub(Node argument)
    {
        return argument switch
        {
            ScalarNode { IsNull: false } text => text with { Value = Rewrite(text.Value) },
            ListNode { Items.Length: 2 } list when list.Items[0] is ScalarNode { IsNull: false } text =>
                list with { Items = [text with { Value = Rewrite(text.Value) }, Resolve(list.Items[1])] },
            _ => Resolve(argument),
        };

        string Rewrite(string text)
        {
            var result = new StringBuilder();
            var i = 0;
            while (text.IndexOf("${", i, StringComparison.Ordinal) is var open and >= 0 && text.IndexOf('}', open + 2) is var close and >= 0)
            {
                var variable = text[(open + 2)..close];
                var parts = variable.Split('.');
                var replaced = !variable.StartsWith('!') && parts.Length >= 2 && _targets.TryGetValue($"{parts[0]}.{parts[1]}", out var id)
                    ? string.Join('.', [id, .. parts[2..]])
                    : variable;
                result.Append(text, i, open - i).Append("${").Append(replaced).Append('}');
                i = close + 1;
            }

            return result.Append(text, i, text.Length - i).ToString();
        }
    }
}
