using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;

namespace Cloister.Templates.Evaluation;

/// <summary>Conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) and Fn::Cidr.</summary>
internal sealed partial class IntrinsicEvaluator
{
    private const string ConditionsOnlyBoolean = "Template format error: Conditions can only be boolean operations on parameters and other conditions";

    /// <summary>How many condition definitions are being evaluated (they nest through <c>Condition: Name</c>).</summary>
    private int _inConditions;

    /// <summary>
    /// The value of the named condition, evaluating it (once) when first asked; <paramref name="block"/> is the section
    /// of the resource or output whose <c>Condition</c> names it (<see cref="Blocks"/>).
    /// </summary>
    public bool Condition(string name, Node at, string resource, string path, string block) =>
        Condition(name, at, new Where(resource, path, block), $"the {block} block of the template");

    /// <summary>
    /// The named condition's value; <paramref name="usedIn"/> says where it is named for CloudFormation's error when it
    /// is not declared: <c>Fn::If</c>, <c>Condition</c> (in another condition) or a resource's or output's block.
    /// </summary>
    private bool Condition(string name, Node at, Where where, string usedIn)
    {
        if (state.ConditionValues.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!state.ConditionDefinitions.TryGetValue(name, out var definition))
        {
            Fail(at, where, usedIn.StartsWith("the ", StringComparison.Ordinal)
                ? $"Template format error: Unresolved condition dependency {name} in {usedIn}"
                : $"Template error: unresolved condition dependency {name} in {usedIn}");
            return false;
        }

        if (!state.ConditionsInProgress.Add(name))
        {
            var cycle = state.ConditionsInProgress.SkipWhile(c => c != name);
            Fail(at, where, $"Template format error: Circular dependency between conditions: [{string.Join(", ", cycle)}]");
            return false;
        }

        _inConditions++;
        var value = ConditionValue(definition, new Where(name, "Conditions." + name, Blocks.Conditions), 0);
        _inConditions--;
        state.ConditionsInProgress.Remove(name);
        state.ConditionValues[name] = value;
        return value;
    }

    private bool ConditionValue(Node node, Where where, int depth)
    {
        if (node is MapNode map && map.IsIntrinsic(out var name, out var argument))
        {
            return ConditionFunction(name, argument, where, depth + 1);
        }

        var resolved = Resolve(node, where, depth);
        if (resolved is ScalarNode { Kind: ScalarKind.Boolean } b)
        {
            return b.Value == "true";
        }

        Fail(node, where, ConditionsOnlyBoolean);
        return false;
    }

    private bool ConditionFunction(string name, Node argument, Where where, int depth)
    {
        switch (name)
        {
            case "Condition" when argument is ScalarNode { IsNull: false } s:
                return Condition(s.Value, s, where, "Condition");
            case "Fn::Equals" when argument is ListNode { Items.Length: 2 } pair:
                var left = Resolve(pair.Items[0], where, depth);
                var right = Resolve(pair.Items[1], where, depth);
                return Comparable(left) == Comparable(right);
            case "Fn::Not" when argument is ListNode { Items.Length: 1 } one:
                return !ConditionValue(one.Items[0], where, depth);
            case "Fn::And" or "Fn::Or" when argument is ListNode { Items.Length: >= 2 and <= 10 } many:
                var values = many.Items.Select(i => ConditionValue(i, where, depth)).ToArray();
                return name == "Fn::And" ? values.All(v => v) : values.Any(v => v);
            default:
                Fail(argument, where, name switch
                {
                    "Fn::Equals" => "Template error: every Fn::Equals object requires a list of 2 string parameters.",
                    "Fn::Not" => "Template error: every Fn::Not object requires a list with exactly 1 boolean parameter.",
                    "Fn::And" or "Fn::Or" => $"Template error: every {name} object requires a list of at least 2 and at most 10 boolean parameters.",
                    "Condition" => TemplateProblems.ConditionMustBeString,
                    _ => ConditionsOnlyBoolean,
                });
                return false;
        }
    }

    private static string? Comparable(Node? node) => node switch
    {
        null => null,
        ScalarNode s => s.Value,
        _ => NodeJson.Write(node),
    };

    /// <summary>
    /// <c>Fn::Cidr [ipBlock, count, cidrBits]</c>: the first <c>count</c> blocks of <c>cidrBits</c> host bits in the
    /// block, IPv4 (a /(32 - cidrBits) each) or IPv6 (a /(128 - cidrBits) each), as CloudFormation gives them.
    /// </summary>
    private Node Cidr(Node argument, Where where, int depth)
    {
        if (Arguments(argument, 3, where, "Fn::Cidr needs [ IpBlock, Count, CidrBits ].") is not { } list)
        {
            return Placeholder(argument);
        }

        var parts = list.Items.Select(i => ResolveText(i, where, depth, "a string")).ToArray();
        if (!parts[0].Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(parts[0], out var block))
        {
            Fail(list.Items[0], where, $"Fn::Cidr: '{parts[0]}' is not a CIDR block.");
            return Placeholder(argument);
        }

        var width = block.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 256
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits < 1 || width - bits < block.PrefixLength)
        {
            Fail(argument, where, $"Fn::Cidr: count '{parts[1]}' (1-256) or cidrBits '{parts[2]}' do not fit in {parts[0]}.");
            return Placeholder(argument);
        }

        var prefix = width - bits;
        if (prefix - block.PrefixLength < 8 && count > 1 << (prefix - block.PrefixLength))
        {
            Fail(argument, where, $"Fn::Cidr: {parts[0]} holds only {1 << (prefix - block.PrefixLength)} blocks of /{prefix}, not {count}.");
            return Placeholder(argument);
        }

        Span<byte> bytes = stackalloc byte[width / 8];
        block.BaseAddress.TryWriteBytes(bytes, out _);
        var baseAddress = width == 32 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var items = new List<Node>(count);
        for (var i = 0; i < count; i++)
        {
            var address = baseAddress + ((UInt128)(uint)i << bits);
            if (width == 32)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)address);
            }
            else
            {
                BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
            }

            items.Add(ScalarNode.String($"{new IPAddress(bytes)}/{prefix}", argument.Location));
        }

        return new ListNode([.. items], argument.Location);
    }
}
