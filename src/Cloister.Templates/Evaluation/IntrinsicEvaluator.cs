using System.Collections.Immutable;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Resolves CloudFormation's intrinsic functions in a node tree against one stack's state.
/// Every problem is recorded with the node's location, the resource and the property path, and
/// evaluation goes on with a placeholder so that one pass reports everything.
/// </summary>
internal sealed partial class IntrinsicEvaluator(StackState state)
{
    private const int MaxDepth = 64;

    /// <summary>
    /// The resolved value; null where <c>AWS::NoValue</c> removes it. <paramref name="block"/> is the template section
    /// the value is in (<c>Resources</c> or <c>Outputs</c>), which CloudFormation names when a reference is unresolved.
    /// </summary>
    public Node? Resolve(Node node, string resource, string path, string block = Blocks.Resources)
    {
        var where = new Where(resource, path, block);
        return WithDynamicReferences(Resolve(node, where, 0), where);
    }

    /// <summary>The resolved value of a property that must be a string.</summary>
    public string? ResolveString(Node node, string resource, string path, string block = Blocks.Resources)
    {
        var where = new Where(resource, path, block);
        var value = WithDynamicReferences(Resolve(node, where, 0), where);
        return value is null ? null : AsString(value, where, "a string");
    }

    private Node? Resolve(Node node, Where where, int depth)
    {
        if (depth > MaxDepth)
        {
            Fail(node, where, "Intrinsic functions nest too deeply.");
            return Placeholder(node);
        }

        switch (node)
        {
            case MapNode map when map.IsIntrinsic(out var name, out var argument):
                return Function(name, argument, map, where, depth + 1);
            case MapNode map:
                var entries = ImmutableArray.CreateBuilder<MapEntry>(map.Entries.Length);
                foreach (var entry in map.Entries)
                {
                    var value = Resolve(entry.Value, where.Key(entry.WrittenAs ?? entry.Key), depth + 1);
                    if (value is not null)
                    {
                        entries.Add(entry with { Value = value });
                    }
                }

                return map with { Entries = entries.ToImmutable() };
            case ListNode list:
                var items = ImmutableArray.CreateBuilder<Node>(list.Items.Length);
                for (var i = 0; i < list.Items.Length; i++)
                {
                    var value = Resolve(list.Items[i], where.Index(i), depth + 1);
                    if (value is not null)
                    {
                        items.Add(value);
                    }
                }

                return list with { Items = items.ToImmutable() };
            default:
                return node;
        }
    }

    private Node? Function(string name, Node argument, MapNode call, Where where, int depth) => name switch
    {
        "Ref" => Ref(argument, where),
        "Fn::GetAtt" => GetAtt(argument, where, depth),
        "Fn::Sub" => Sub(argument, where, depth),
        "Fn::Join" => Join(argument, where, depth),
        "Fn::Select" => Select(argument, where, depth),
        "Fn::Split" => Split(argument, where, depth),
        "Fn::If" => If(argument, where, depth),
        "Fn::FindInMap" => FindInMap(argument, where, depth),
        "Fn::GetAZs" => GetAzs(argument, where, depth),
        "Fn::ImportValue" => ImportValue(argument, where, depth),
        "Fn::GetStackAtt" => GetStackAtt(argument, where, depth),
        "Fn::Base64" => Base64(argument, where, depth),
        "Fn::Cidr" => Cidr(argument, where, depth),
        "Fn::Length" => Extension(name, call, where) ? Length(argument, where, depth) : Placeholder(call),
        "Fn::ToJsonString" => Extension(name, call, where) ? ToJsonString(argument, where, depth) : Placeholder(call),
        "Fn::Equals" or "Fn::And" or "Fn::Or" or "Fn::Not" or "Condition" =>
            ScalarNode.Boolean(ConditionFunction(name, argument, where, depth), call.Location),
        _ => UnknownFunction(name, call, where),
    };

    /// <summary>The functions CloudFormation lists when it meets one it does not know.</summary>
    private const string SupportedFunctions =
        "[Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]";

    private ScalarNode UnknownFunction(string name, MapNode call, Where where)
    {
        Fail(call, where, $"Template format error: Encountered unsupported function: {name} Supported functions are: {SupportedFunctions}");
        return Placeholder(call);
    }

    private string AsString(Node value, Where where, string what)
    {
        if (value is ScalarNode { IsNull: false } s)
        {
            return s.Value;
        }

        Fail(value, where, $"must be {what}, not {value.KindName}.");
        return string.Empty;
    }

    private void Fail(Node at, Where where, string message) => state.Problem(where.Resource, where.Path, message, at.Location);

    private static ScalarNode Placeholder(Node at) => ScalarNode.String(string.Empty, at.Location);

    /// <summary>
    /// The resource (or output, or condition) and the property path a problem is reported against, and the template
    /// section they are in (<see cref="Blocks"/>).
    /// </summary>
    private readonly record struct Where(string Resource, string Path, string Block = Blocks.Resources)
    {
        public Where Key(string key) => this with { Path = Path.Length == 0 ? key : $"{Path}.{key}" };

        public Where Index(int index) => this with { Path = $"{Path}[{index}]" };
    }
}
