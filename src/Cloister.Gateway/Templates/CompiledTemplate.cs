using System.Collections.Immutable;
using System.Text;

namespace Cloister.Gateway.Templates;

/// <summary>
/// A template split once into literal text and <c>$a.b.c</c> / <c>${a.b.c}</c> references; rendering
/// looks each reference up. Access log formats and gateway response templates are this simple substitution
/// on AWS too (not Velocity); mapping templates use the full engine, <see cref="MappingTemplate"/>.
/// </summary>
internal sealed class CompiledTemplate
{
    private readonly ImmutableArray<TemplateSegment> _segments;

    private CompiledTemplate(string source, ImmutableArray<TemplateSegment> segments)
    {
        Source = source;
        _segments = segments;
        IsStatic = !segments.Any(s => s.IsReference);
        StaticUtf8 = IsStatic ? Encoding.UTF8.GetBytes(source) : null;
    }

    public string Source { get; }

    /// <summary>Whether the template has no references, so it renders to its source every time.</summary>
    public bool IsStatic { get; }

    /// <summary>The rendered bytes of a static template, computed once; null otherwise.</summary>
    public byte[]? StaticUtf8 { get; }

    public ImmutableArray<TemplateSegment> Segments => _segments;

    public static CompiledTemplate Parse(string template)
    {
        var segments = ImmutableArray.CreateBuilder<TemplateSegment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '$' && TryReadReference(template, i, out var name, out var end))
            {
                if (literal.Length > 0)
                {
                    segments.Add(new TemplateSegment(literal.ToString(), false, string.Empty));
                    literal.Clear();
                }

                segments.Add(new TemplateSegment(name, true, template[i..end]));
                i = end;
                continue;
            }

            literal.Append(template[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new TemplateSegment(literal.ToString(), false, string.Empty));
        }

        return new CompiledTemplate(template, segments.ToImmutable());
    }

    /// <summary>Renders with <paramref name="resolve"/>; a reference it does not know renders as written (<paramref name="unknown"/> when given).</summary>
    public void Render<TState>(StringBuilder output, TState state, Func<TState, string, (bool Known, string? Value)> resolve, string? unknown = null)
    {
        foreach (var segment in _segments)
        {
            if (!segment.IsReference)
            {
                output.Append(segment.Text);
                continue;
            }

            var (known, value) = resolve(state, segment.Text);
            output.Append(known ? value : unknown ?? segment.Source);
        }
    }

    private static bool TryReadReference(string text, int dollar, out string name, out int end)
    {
        name = string.Empty;
        end = dollar;
        var braced = dollar + 1 < text.Length && text[dollar + 1] == '{';
        var start = dollar + (braced ? 2 : 1);
        var i = start;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
        {
            i++;
        }

        var stop = i;
        if (braced)
        {
            if (i >= text.Length || text[i] != '}')
            {
                return false;
            }

            end = i + 1;
        }
        else
        {
            // "$context.requestId." in running text: the sentence's full stop is not part of the name.
            while (stop > start && text[stop - 1] == '.')
            {
                stop--;
            }

            end = stop;
        }

        if (stop == start || !char.IsAsciiLetter(text[start]))
        {
            return false;
        }

        name = text[start..stop];
        return true;
    }
}
