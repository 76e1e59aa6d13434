using Cloister.Policy.Evaluation;

namespace Cloister.Policy.Matching;

/// <summary>
/// A Resource or condition value that may hold policy variables (<c>${aws:SourceIp}</c>,
/// <c>${*}</c>, <c>${?}</c>, <c>${$}</c>, <c>${key, 'default'}</c>). Variables are recognised only in
/// Version 2012-10-17 documents; in 2008-10-17 the text is taken as written, as AWS does.
/// Resolution writes into a caller's buffer with a flag per character saying whether it is literal
/// (from a variable), so a <c>*</c> in a request value is never a wildcard.
/// </summary>
internal sealed class TemplateText
{
    /// <summary>The longest resolved text; a longer one does not match (documented in docs/policy.md).</summary>
    public const int MaxResolvedLength = 4096;

    private static readonly System.Buffers.SearchValues<char> ForbiddenInKey = System.Buffers.SearchValues.Create(" \t'\"{}$");

    /// <summary>What the tag key after a variable's <c>/</c> may not hold: as in a condition key, a space is allowed there (<c>Cost Center</c>).</summary>
    private static readonly System.Buffers.SearchValues<char> ForbiddenInTagKey = System.Buffers.SearchValues.Create("\t'\"{}$");

    private readonly TemplatePart[]? _parts;

    private TemplateText(string raw, TemplatePart[]? parts)
    {
        Raw = raw;
        _parts = parts;
    }

    /// <summary>The text as the policy wrote it.</summary>
    public string Raw { get; }

    /// <summary>Whether the text has any variable; when not, <see cref="Raw"/> is the whole story.</summary>
    public bool HasVariables => _parts is not null;

    /// <summary>The condition keys its variables read (none without variables).</summary>
    public IEnumerable<string> VariableKeys =>
        _parts is null ? [] : _parts.Where(part => part.Kind == TemplatePartKind.Variable).Select(part => part.Key.Name);

    /// <summary>Reads <paramref name="raw"/>; with <paramref name="variables"/> false, every <c>${</c> is plain text.</summary>
    public static TemplateText Parse(string raw, bool variables)
    {
        if (!variables || !raw.Contains("${", StringComparison.Ordinal))
        {
            return new TemplateText(raw, null);
        }

        var parts = new List<TemplatePart>();
        var rest = raw.AsSpan();
        var textStart = 0;
        var offset = 0;
        while (true)
        {
            var open = rest.IndexOf("${", StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = rest[(open + 2)..].IndexOf('}');
            if (close < 0)
            {
                break;
            }

            var inner = rest.Slice(open + 2, close).ToString();
            var part = ReadVariable(inner);
            if (part is { } variable)
            {
                if (offset + open > textStart)
                {
                    parts.Add(new TemplatePart(TemplatePartKind.Text, raw[textStart..(offset + open)], default, null));
                }

                parts.Add(variable);
                textStart = offset + open + close + 3;
            }

            offset += open + close + 3;
            rest = rest[(open + close + 3)..];
        }

        if (parts.Count == 0)
        {
            return new TemplateText(raw, null);
        }

        if (textStart < raw.Length)
        {
            parts.Add(new TemplatePart(TemplatePartKind.Text, raw[textStart..], default, null));
        }

        return new TemplateText(raw, [.. parts]);
    }

    /// <summary>
    /// Writes the resolved text into <paramref name="chars"/> and its literal flags into
    /// <paramref name="flags"/>. False when a variable's key is missing (and has no default), is
    /// multi-valued, or the result is longer than the buffers: the value then matches nothing.
    /// </summary>
    public bool TryResolve(RequestContext context, Span<char> chars, Span<byte> flags, out int length)
    {
        length = 0;
        if (_parts is null)
        {
            if (Raw.Length > chars.Length)
            {
                return false;
            }

            Raw.CopyTo(chars);
            flags[..Raw.Length].Clear();
            length = Raw.Length;
            return true;
        }

        Span<char> scratch = stackalloc char[ContextValues.ScratchLength];
        foreach (var part in _parts)
        {
            scoped ReadOnlySpan<char> value;
            byte literal = 1;
            switch (part.Kind)
            {
                case TemplatePartKind.Text:
                    value = part.Text;
                    literal = 0;
                    break;
                case TemplatePartKind.LiteralChar:
                    value = part.Text;
                    break;
                default:
                    if (HasValue(context, part.Key, out var values))
                    {
                        value = values.GetText(0, scratch);
                    }
                    else if (part.Default is not null)
                    {
                        value = part.Default;
                    }
                    else
                    {
                        return false;
                    }

                    break;
            }

            if (length + value.Length > chars.Length)
            {
                return false;
            }

            value.CopyTo(chars[length..]);
            flags.Slice(length, value.Length).Fill(literal);
            length += value.Length;
        }

        return true;
    }

    /// <summary>The length the resolved text will have; false when it cannot be resolved (see <see cref="TryResolve"/>).</summary>
    public bool TryMeasure(RequestContext context, out int length)
    {
        length = 0;
        if (_parts is null)
        {
            length = Raw.Length;
            return length <= MaxResolvedLength;
        }

        Span<char> scratch = stackalloc char[ContextValues.ScratchLength];
        foreach (var part in _parts)
        {
            if (part.Kind != TemplatePartKind.Variable)
            {
                length += part.Text.Length;
            }
            else if (HasValue(context, part.Key, out var values))
            {
                length += values.GetText(0, scratch).Length;
            }
            else if (part.Default is not null)
            {
                length += part.Default.Length;
            }
            else
            {
                return false;
            }
        }

        return length <= MaxResolvedLength;
    }

    /// <summary>
    /// Whether the key gives a variable a value: IAM's "Variables and tags" page says a variable whose key "has no value or
    /// is not present" is effectively null. A multivalued key never has one; nor does a key whose value is an empty string
    /// (an empty tag value), which the condition operators page calls a null dataset.
    /// </summary>
    private static bool HasValue(RequestContext context, ContextKey key, out ContextValues values) =>
        context.TryGetValues(key, out values) && values.IsSingleValued && !values.IsNullDataset;

    private static TemplatePart? ReadVariable(string inner)
    {
        switch (inner)
        {
            case "*" or "?" or "$":
                return new TemplatePart(TemplatePartKind.LiteralChar, inner, default, null);
            case "":
                return null;
        }

        string? fallback = null;
        var name = inner;
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            name = inner[..comma].Trim();
            var quoted = inner[(comma + 1)..].Trim();
            if (quoted.Length < 2 || quoted[0] != '\'' || quoted[^1] != '\'')
            {
                return null;
            }

            fallback = quoted[1..^1];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var service = slash < 0 ? name.AsSpan() : name.AsSpan(0, slash);
        var tagKey = slash < 0 ? default : name.AsSpan(slash + 1);
        if (service.Length == 0 || service.ContainsAny(ForbiddenInKey) || tagKey.ContainsAny(ForbiddenInTagKey)
            || name.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            return null;
        }

        return new TemplatePart(TemplatePartKind.Variable, inner, ContextKey.Of(name), fallback);
    }
}
