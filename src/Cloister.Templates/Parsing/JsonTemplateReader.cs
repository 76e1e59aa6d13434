using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Parsing;

/// <summary>Reads JSON into nodes, computing each token's line and column from its byte offset.</summary>
internal sealed class JsonTemplateReader
{
    private const int MaxDepth = 128;

    private readonly string _file;
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    private JsonTemplateReader(string file, byte[] utf8)
    {
        _file = file;
        _utf8 = utf8;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The document's root, or null (with the problem recorded) when the text is not JSON.</summary>
    public static Node? Read(string file, string text, ProblemCollector problems)
    {
        var reader = new JsonTemplateReader(file, Encoding.UTF8.GetBytes(text));
        var json = new Utf8JsonReader(reader._utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!json.Read())
            {
                problems.Add(TemplateProblems.Template, string.Empty, "The template is empty.", new SourceLocation(file, 1, 1));
                return null;
            }

            var root = reader.ReadValue(ref json);
            if (json.Read())
            {
                problems.Add(TemplateProblems.Template, string.Empty, "Text follows the end of the JSON document.", reader.At(json.TokenStartIndex));
                return null;
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            problems.Add(TemplateProblems.Template, string.Empty, $"Not valid JSON: {FirstSentence(e.Message)}", new SourceLocation(file, line, column));
            return null;
        }
        catch (TemplateSyntaxException e)
        {
            problems.Add(TemplateProblems.Template, string.Empty, e.Message, e.Location);
            return null;
        }
    }

    private SourceLocation At(long offset)
    {
        var index = _lineStarts.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = Encoding.UTF8.GetCharCount(_utf8, _lineStarts[line], (int)offset - _lineStarts[line]) + 1;
        return new SourceLocation(_file, line + 1, column);
    }

    private Node ReadValue(ref Utf8JsonReader json)
    {
        var at = At(json.TokenStartIndex);
        switch (json.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = ImmutableArray.CreateBuilder<MapEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (Next(ref json) != JsonTokenType.EndObject)
                {
                    var keyAt = At(json.TokenStartIndex);
                    var key = json.GetString()!;
                    if (!seen.Add(key))
                    {
                        throw new TemplateSyntaxException($"The key '{key}' appears twice in the same object.", keyAt);
                    }

                    Next(ref json);
                    entries.Add(new MapEntry(key, keyAt, ReadValue(ref json)));
                }

                return new MapNode(entries.ToImmutable(), at);
            case JsonTokenType.StartArray:
                var items = ImmutableArray.CreateBuilder<Node>();
                while (Next(ref json) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref json));
                }

                return new ListNode(items.ToImmutable(), at);
            case JsonTokenType.String:
                return ScalarNode.String(json.GetString()!, at);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(json.ValueSpan), ScalarKind.Number, at);
            case JsonTokenType.True:
                return ScalarNode.Boolean(true, at);
            case JsonTokenType.False:
                return ScalarNode.Boolean(false, at);
            default:
                return new ScalarNode(string.Empty, ScalarKind.Null, at);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader json) =>
        json.Read() ? json.TokenType : throw new JsonException("Unexpected end of the document.", null, null, null);

    /// <summary>
    /// System.Text.Json's message without what concerns its reader rather than the template: the path and position
    /// (the problem has its own location) and the advice to "Change the reader options".
    /// </summary>
    private static string FirstSentence(string message)
    {
        foreach (var tail in (ReadOnlySpan<string>)[" Path:", " LineNumber:"])
        {
            var end = message.IndexOf(tail, StringComparison.Ordinal);
            message = end > 0 ? message[..end] : message;
        }

        return message
            .Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal)
            .Replace(" which is not supported in this mode", string.Empty, StringComparison.Ordinal)
            .TrimEnd();
    }
}
