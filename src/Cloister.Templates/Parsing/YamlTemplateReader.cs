using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cloister.Templates.Parsing;

/// <summary>
/// Reads YAML into nodes with the line and column of each, turning CloudFormation's short-form tags
/// (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>...) into their long form.
/// </summary>
internal sealed class YamlTemplateReader
{
    private const int MaxDepth = 128;

    private static readonly ImmutableHashSet<string> FunctionTags = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
        "If", "Equals", "And", "Or", "Not", "Length", "ToJsonString", "GetStackAtt");

    private readonly string _file;
    private readonly ProblemCollector _problems;
    private readonly Dictionary<string, Node> _anchors = new(StringComparer.Ordinal);
    private Mark _lastMark = Mark.Empty;

    private YamlTemplateReader(string file, ProblemCollector problems)
    {
        _file = file;
        _problems = problems;
    }

    /// <summary>The document's root, or null (with the problem recorded) when the text is not YAML.</summary>
    public static Node? Read(string file, string text, ProblemCollector problems)
    {
        var reader = new YamlTemplateReader(file, problems);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                problems.Add(TemplateProblems.Template, string.Empty, "The template is empty.", new SourceLocation(file, 1, 1));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = reader.ReadNode(parser, 0);
            parser.Consume<DocumentEnd>();
            return root;
        }
        catch (YamlException e)
        {
            problems.Add(TemplateProblems.Template, string.Empty, $"Not valid YAML: {Clean(e.Message)}", reader.ErrorLocation(e, text));
            return null;
        }
        catch (TemplateSyntaxException e)
        {
            problems.Add(TemplateProblems.Template, string.Empty, e.Message, e.Location);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet fails this way on some malformed inputs; the last node it gave is the best location there is.
            problems.Add(TemplateProblems.Template, string.Empty, "Not valid YAML: the text after this point cannot be parsed.", reader.At(reader._lastMark));
            return null;
        }
    }

    /// <summary>
    /// Where <paramref name="e"/> is. YamlDotNet gives a tab used as indentation no position (line 1, column 1), so
    /// that one is found in the text: the first line indented with a tab.
    /// </summary>
    private SourceLocation ErrorLocation(YamlException e, string text)
    {
        if (e.Start.Line <= 1 && e.Message.Contains("tab", StringComparison.Ordinal))
        {
            var line = 1;
            foreach (var current in text.AsSpan().EnumerateLines())
            {
                var indent = current.Length - current.TrimStart(" \t").Length;
                if (current[..indent].Contains('\t'))
                {
                    return new SourceLocation(_file, line, current.IndexOf('\t') + 1);
                }

                line++;
            }
        }

        return At(e.Start);
    }

    private SourceLocation At(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private Node ReadNode(IParser parser, int depth)
    {
        _lastMark = parser.Current?.Start ?? _lastMark;
        if (depth > MaxDepth)
        {
            throw new TemplateSyntaxException($"The template nests deeper than {MaxDepth} levels.", At(parser.Current?.Start ?? Mark.Empty));
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return _anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new TemplateSyntaxException($"The alias '*{alias.Value.Value}' has no anchor.", At(alias.Start));
        }

        Node node;
        string? tag;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            tag = TagOf(scalar.Tag);
            anchor = scalar.Anchor;
            node = ToScalar(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out var start))
        {
            tag = TagOf(start.Tag);
            anchor = start.Anchor;
            var items = ImmutableArray.CreateBuilder<Node>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, depth + 1));
            }

            node = new ListNode(items.ToImmutable(), At(start.Start));
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            tag = TagOf(mapStart.Tag);
            anchor = mapStart.Anchor;
            node = ReadMap(parser, mapStart, depth);
        }
        else
        {
            var current = parser.Current;
            throw new TemplateSyntaxException($"Unexpected {current?.GetType().Name ?? "end of input"}.", At(current?.Start ?? Mark.Empty));
        }

        if (tag is not null)
        {
            node = ApplyTag(tag, node);
        }

        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private MapNode ReadMap(IParser parser, MappingStart start, int depth)
    {
        var entries = ImmutableArray.CreateBuilder<MapEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, depth + 1);
            var value = ReadNode(parser, depth + 1);
            if (keyNode is not ScalarNode key)
            {
                throw new TemplateSyntaxException("A map key must be a plain value.", keyNode.Location);
            }

            if (!seen.Add(key.Value))
            {
                throw new TemplateSyntaxException($"The key '{key.Value}' appears twice in the same map.", key.Location);
            }

            entries.Add(new MapEntry(key.Value, key.Location, value));
        }

        return new MapNode(entries.ToImmutable(), At(start.Start));
    }

    private ScalarNode ToScalar(Scalar scalar)
    {
        var at = At(scalar.Start);
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return ScalarNode.String(scalar.Value, at);
        }

        var value = scalar.Value;
        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return new ScalarNode(value.Length == 0 ? string.Empty : value, ScalarKind.Null, at);
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return ScalarNode.Boolean(value.Equals("true", StringComparison.OrdinalIgnoreCase), at);
        }

        if (LooksNumeric(value))
        {
            return new ScalarNode(value, ScalarKind.Number, at);
        }

        return ScalarNode.String(value, at);
    }

    private static bool LooksNumeric(string value) =>
        (value[0] is '-' or '+' or '.' || char.IsAsciiDigit(value[0]))
        && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        && !value.Contains('_', StringComparison.Ordinal);

    private static string? TagOf(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? null : tag.Value;

    private static Node ApplyTag(string tag, Node node)
    {
        if (!tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal) || tag.StartsWith("tag:", StringComparison.Ordinal))
        {
            return node;
        }

        var name = tag[1..];
        var at = node.Location;
        switch (name)
        {
            case "Ref":
                return NodeFactory.Map(at, ("Ref", node));
            case "Condition":
                return NodeFactory.Map(at, ("Condition", node));
            case "GetAtt":
                if (node is ScalarNode s)
                {
                    var dot = s.Value.IndexOf('.', StringComparison.Ordinal);
                    Node argument = dot < 0
                        ? s
                        : NodeFactory.List(at, ScalarNode.String(s.Value[..dot], at), ScalarNode.String(s.Value[(dot + 1)..], at));
                    return NodeFactory.Map(at, ("Fn::GetAtt", argument));
                }

                return NodeFactory.Map(at, ("Fn::GetAtt", node));
            default:
                if (FunctionTags.Contains(name))
                {
                    return NodeFactory.Map(at, ("Fn::" + name, node));
                }

                throw new TemplateSyntaxException($"Unknown tag '{tag}'.", at);
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with the marks; the location is reported separately.
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
    }
}
