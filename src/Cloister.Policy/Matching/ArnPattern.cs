namespace Cloister.Policy.Matching;

/// <summary>
/// A Resource compiled for the common shapes, so the per-request check is
/// one ordinal comparison where it can be: <c>*</c>; an exact ARN; an ARN whose only wildcard is a
/// trailing <c>*</c> in the resource part (<c>arn:aws:execute-api:r:a:api/*</c>, what the
/// <c>execute-api:/*</c> shorthand becomes). When the first five parts hold no wildcard, they are
/// compared as one prefix (a literal part contains no colon, so prefix equality is part-by-part
/// equality). Anything else (a wildcard in the first five parts, fewer than six parts), and anything with variables, goes
/// through <see cref="ResourceMatcher"/>.
/// </summary>
internal sealed class ArnPattern
{
    private readonly Shape _shape;
    private readonly string _literal;
    private readonly int _prefixLength;

    public ArnPattern(TemplateText template)
    {
        Template = template;
        _literal = template.Raw;
        _shape = Classify(template, out _prefixLength);
    }

    private enum Shape
    {
        Any,
        Exact,
        StartsWith,
        PrefixThenGlob,
        General,
    }

    public TemplateText Template { get; }

    public bool IsMatch(string arn, RequestContext context) => _shape switch
    {
        Shape.Any => true,
        Shape.Exact => string.Equals(arn, _literal, StringComparison.Ordinal),
        Shape.StartsWith => arn.StartsWith(_literal.AsSpan(0, _prefixLength), StringComparison.Ordinal),
        Shape.PrefixThenGlob => arn.AsSpan().StartsWith(_literal.AsSpan(0, _prefixLength), StringComparison.Ordinal)
            && Glob.IsMatch(_literal.AsSpan(_prefixLength), arn.AsSpan(_prefixLength), ignoreCase: false),
        _ => TemplateMatcher.IsMatch(Template, TextMode.Resource, arn, context),
    };

    private static Shape Classify(TemplateText template, out int prefixLength)
    {
        prefixLength = 0;
        var raw = template.Raw;
        if (template.HasVariables)
        {
            return Shape.General;
        }

        if (raw == "*")
        {
            return Shape.Any;
        }

        // The end of the fifth part: every wildcard must come after it for the shortcuts.
        var colons = 0;
        var resourceStart = -1;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == ':' && ++colons == 5)
            {
                resourceStart = i + 1;
                break;
            }
        }

        var firstWildcard = raw.AsSpan().IndexOfAny('*', '?');
        if (resourceStart < 0 || (firstWildcard >= 0 && firstWildcard < resourceStart))
        {
            return Shape.General;
        }

        if (firstWildcard < 0)
        {
            return Shape.Exact;
        }

        prefixLength = firstWildcard;
        return firstWildcard == raw.Length - 1 && raw[^1] == '*' ? Shape.StartsWith : Shape.PrefixThenGlob;
    }
}
