using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cloister.Model.Network;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::GetAZs, Fn::Base64.</summary>
internal sealed partial class IntrinsicEvaluator
{
    private ScalarNode Sub(Node argument, Where where, int depth)
    {
        Node textNode = argument;
        var variables = new Dictionary<string, Node>(StringComparer.Ordinal);
        if (argument is ListNode { Items.Length: 2 } list && list.Items[1] is MapNode map)
        {
            textNode = list.Items[0];
            foreach (var entry in map.Entries)
            {
                var value = Resolve(entry.Value, where.Key(entry.Key), depth);
                if (value is ListNode or MapNode)
                {
                    // Reported once here; the text's ${} of it then stands for nothing rather than for a resource of that name.
                    Fail(entry.Value, where.Key(entry.Key), "Template error: every value of the context object of every Fn::Sub object must be a string or a function that returns a string");
                    variables[entry.Key] = Placeholder(entry.Value);
                }
                else if (value is not null)
                {
                    variables[entry.Key] = value;
                }
            }
        }

        if (textNode is not ScalarNode { IsNull: false } text)
        {
            Fail(argument, where, "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string");
            return Placeholder(argument);
        }

        var result = new StringBuilder();
        var s = text.Value;
        var i = 0;
        while (i < s.Length)
        {
            var open = s.IndexOf("${", i, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(s, i, s.Length - i);
                break;
            }

            result.Append(s, i, open - i);
            var close = s.IndexOf('}', open + 2);
            if (close < 0)
            {
                Fail(text, where, $"Fn::Sub: '${{' at offset {open} has no closing '}}'.");
                return Placeholder(text);
            }

            var name = s[(open + 2)..close];
            if (name.StartsWith('!'))
            {
                result.Append("${").Append(name.AsSpan(1)).Append('}');
            }
            else if (!IsSubVariableName(name.Trim()))
            {
                Fail(text, where, $"Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons (not '${{{name}}}'; write '${{!{name}}}' for the text itself)");
                return Placeholder(text);
            }
            else
            {
                result.Append(SubVariable(name.Trim(), variables, text, where, depth));
            }

            i = close + 1;
        }

        return ScalarNode.String(result.ToString(), text.Location);
    }

    /// <summary>
    /// What CloudFormation takes inside <c>${}</c>: letters, digits, underscores, periods and colons (a parameter, a
    /// resource, <c>Resource.Attribute</c>, <c>AWS::Region</c>). Spaces around the name are allowed.
    /// </summary>
    private static bool IsSubVariableName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':');

    private string SubVariable(string name, Dictionary<string, Node> variables, ScalarNode text, Where where, int depth)
    {
        if (variables.TryGetValue(name, out var value))
        {
            return ((ScalarNode)value).Value;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var isAttribute = dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal);
        if (isAttribute && InvalidSubAttribute(name[..dot], name[(dot + 1)..]) is { } invalid)
        {
            return Fail(text, where, $"Template error: instance of Fn::Sub references invalid resource attribute {name}{invalid}", string.Empty);
        }

        Node reference = isAttribute
            ? NodeFactory.GetAtt(name[..dot], name[(dot + 1)..], text.Location)
            : NodeFactory.Ref(name, text.Location);
        return Resolve(reference, where, depth) switch
        {
            null => string.Empty,
            ScalarNode { IsNull: false } resolved => resolved.Value,
            _ => Fail(text, where, $"Template error: variable {name} in Fn::Sub expression does not resolve to a string", string.Empty),
        };
    }

    /// <summary>
    /// Why <c>${Resource.Attribute}</c> names no attribute CloudFormation knows (empty when the resource is not
    /// declared, the resource's type and attributes when it lacks this one); null when it does name one.
    /// </summary>
    private string? InvalidSubAttribute(string logicalId, string attribute)
    {
        if (!state.Declarations.TryGetValue(logicalId, out var declaration))
        {
            return string.Empty;
        }

        return ResourceCatalog.Find(declaration.Type) is { } type && !type.HasAttribute(attribute) ? $" ({AttributesOf(declaration.Type, type)})" : null;
    }

    private ScalarNode Join(Node argument, Where where, int depth)
    {
        if (Arguments(argument, 2, where, JoinUsage) is not { } list)
        {
            return Placeholder(argument);
        }

        var before = state.Problems.Count;
        var delimiter = ResolveText(list.Items[0], where, depth, "a delimiter string");
        var values = ResolveList(list.Items[1], where, depth, JoinUsage);
        if (state.Problems.Count > before)
        {
            return Placeholder(argument);
        }

        if (values.FirstOrDefault(v => v is not ScalarNode { IsNull: false }) is { } notText)
        {
            Fail(notText, where, JoinUsage);
            return Placeholder(argument);
        }

        return ScalarNode.String(string.Join(delimiter, values.Select(v => ((ScalarNode)v).Value)), argument.Location);
    }

    private Node Select(Node argument, Where where, int depth)
    {
        if (Arguments(argument, 2, where, SelectUsage) is not { } list)
        {
            return Placeholder(argument);
        }

        var before = state.Problems.Count;
        var indexText = ResolveText(list.Items[0], where, depth, "an index");
        var values = ResolveList(list.Items[1], where, depth, SelectUsage);
        if (state.Problems.Count > before)
        {
            // An argument that failed is reported; selecting from what it left would only say so again.
            return Placeholder(argument);
        }

        // The index is a whole number, written as a number or a string; a negative one selects nothing, as one past the end.
        if (!int.TryParse(indexText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            Fail(list.Items[0], where, SelectUsage);
            return Placeholder(argument);
        }

        if (index < 0 || index >= values.Length)
        {
            Fail(list.Items[0], where, $"Template error: Fn::Select cannot select nonexistent value at index {index}");
            return Placeholder(argument);
        }

        return values[index];
    }

    private Node Split(Node argument, Where where, int depth)
    {
        if (Arguments(argument, 2, where, SplitUsage) is not { } list)
        {
            return Placeholder(argument);
        }

        var before = state.Problems.Count;
        var delimiter = ResolveText(list.Items[0], where, depth, "a delimiter string");
        var text = ResolveText(list.Items[1], where, depth, "a string to split");
        if (state.Problems.Count > before)
        {
            return Placeholder(argument);
        }

        if (delimiter.Length == 0)
        {
            Fail(list.Items[0], where, SplitUsage + " The delimiter cannot be empty.");
            return Placeholder(argument);
        }

        return new ListNode([.. text.Split(delimiter).Select(part => (Node)ScalarNode.String(part, argument.Location))], argument.Location);
    }

    private Node? If(Node argument, Where where, int depth)
    {
        if (argument is not ListNode { Items.Length: 3 } list)
        {
            Fail(argument, where, "Template error: Fn::If requires a list argument with three elements");
            return Placeholder(argument);
        }

        if (list.Items[0] is not ScalarNode { IsNull: false, Kind: ScalarKind.String } condition)
        {
            Fail(list.Items[0], where, "Template error: Fn::If requires a list argument with the first element being a condition");
            return Placeholder(argument);
        }

        var chosen = Condition(condition.Value, condition, where, "Fn::If");
        Unevaluated(list.Items[chosen ? 2 : 1], where, depth);
        return Resolve(list.Items[chosen ? 1 : 2], where, depth);
    }

    private Node FindInMap(Node argument, Where where, int depth)
    {
        // AWS::LanguageExtensions adds a fourth argument, { DefaultValue: X }, answered when a key is missing.
        Node? fallback = null;
        if (argument is ListNode { Items.Length: 4 } withDefault && withDefault.Items[3] is MapNode options && options.Get("DefaultValue") is { } defaultValue)
        {
            if (!Extension("Fn::FindInMap DefaultValue", options, where))
            {
                return Placeholder(argument);
            }

            fallback = defaultValue;
            argument = withDefault with { Items = withDefault.Items.RemoveAt(3) };
        }

        if (Arguments(argument, 3, where, "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value") is not { } list)
        {
            return Placeholder(argument);
        }

        var keys = list.Items.Select(k => ResolveText(k, where, depth, "a key")).ToArray();
        var mapping = state.Mappings?.Get(keys[0]) as MapNode;
        var top = mapping?.Get(keys[1]) as MapNode;
        if (top?.Get(keys[2]) is { } value)
        {
            return value;
        }

        // The default stands for a missing key, not a missing mapping (AWS: "if the TopLevelKey and/or SecondLevelKey can't be found").
        if (fallback is not null && mapping is not null)
        {
            return Resolve(fallback, where, depth) ?? Placeholder(argument);
        }

        if (mapping is null)
        {
            Fail(list.Items[0], where, $"Template error: Mapping named '{keys[0]}' is not present in the 'Mappings' section of template.");
        }
        else
        {
            // CloudFormation names the three keys whichever is missing; the location points at the first one missing.
            Fail(top is null ? list.Items[1] : list.Items[2], where, $"Template error: Unable to get mapping for {keys[0]}::{keys[1]}::{keys[2]}");
        }

        return Placeholder(argument);
    }

    private Node GetAzs(Node argument, Where where, int depth)
    {
        // A region name, or '' (and a null, as YAML's bare !GetAZs gives) for the stack's own.
        var resolved = Resolve(argument, where, depth);
        if (resolved is ListNode or MapNode)
        {
            return Fail(argument, where, $"Fn::GetAZs needs a region name ('' or !Ref AWS::Region for the stack's own), not {resolved.KindName}.", Placeholder(argument));
        }

        var region = resolved is ScalarNode { IsNull: false } r && r.Value.Length > 0 ? r.Value : state.Account.Region;
        return new ListNode([.. AvailabilityZones.Of(region).Select(az => (Node)ScalarNode.String(az, argument.Location))], argument.Location);
    }

    private ScalarNode Base64(Node argument, Where where, int depth)
    {
        var text = ResolveText(argument, where, depth, "a string for Fn::Base64");
        return ScalarNode.String(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), argument.Location);
    }

    private const string JoinUsage = "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.";

    private const string SelectUsage = "Template error: Fn::Select requires a list argument with two elements: an integer index and a list";

    private const string SplitUsage = "Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.";

    /// <summary>A node resolved to the list it must be; none with <paramref name="usage"/> as the problem when it is not a list.</summary>
    private ImmutableArray<Node> ResolveList(Node node, Where where, int depth, string usage)
    {
        var before = state.Problems.Count;
        var resolved = Resolve(node, where, depth);
        if (state.Problems.Count > before)
        {
            return [];
        }

        switch (resolved)
        {
            case ListNode list:
                return list.Items;
            case null:
                return [];
            default:
                Fail(node, where, usage);
                return [];
        }
    }

    /// <summary>The argument list of a function that takes <paramref name="count"/> arguments, or null with the usage as the problem.</summary>
    private ListNode? Arguments(Node argument, int count, Where where, string usage)
    {
        if (argument is ListNode list && list.Items.Length == count)
        {
            return list;
        }

        Fail(argument, where, usage);
        return null;
    }

    /// <summary>A node resolved to the string it must be (empty where it is removed or wrong, with the problem recorded).</summary>
    private string ResolveText(Node node, Where where, int depth, string what)
    {
        var before = state.Problems.Count;
        return Resolve(node, where, depth) is { } value && state.Problems.Count == before ? AsString(value, where, what) : string.Empty;
    }

    private T Fail<T>(Node at, Where where, string message, T result)
    {
        Fail(at, where, message);
        return result;
    }

    /// <summary>Whether <c>AWS::LanguageExtensions</c> is declared, as <paramref name="name"/> needs; a problem naming it when not.</summary>
    private bool Extension(string name, Node at, Where where)
    {
        if (!state.LanguageExtensions)
        {
            Fail(at, where, $"{name} needs 'Transform: {Sam.SamTransform.LanguageExtensions}' at the top of the template.");
        }

        return state.LanguageExtensions;
    }

    /// <summary><c>Fn::Length</c>: the number of items of a list (given, or made by an intrinsic function).</summary>
    private ScalarNode Length(Node argument, Where where, int depth) =>
        Resolve(argument, where, depth) is ListNode list
            ? ScalarNode.Number(list.Items.Length, argument.Location)
            : Fail(argument, where, "Fn::Length needs a list, or a function that returns one.", Placeholder(argument));

    /// <summary><c>Fn::ToJsonString</c>: a map or list, its functions resolved, as compact JSON text.</summary>
    private ScalarNode ToJsonString(Node argument, Where where, int depth) =>
        argument is MapNode or ListNode && Resolve(argument, where, depth) is { } resolved and (MapNode or ListNode)
            ? ScalarNode.String(NodeJson.Write(resolved), argument.Location)
            : Fail(argument, where, "Fn::ToJsonString needs a map or a list.", Placeholder(argument));
}
