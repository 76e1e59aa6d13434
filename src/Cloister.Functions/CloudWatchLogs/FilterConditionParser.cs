namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// Reads a <see cref="FilterCondition"/> from <paramref name="text"/> at <paramref name="start"/>:
/// or := and ('||' and)*; and := primary ('&amp;&amp;' primary)*; primary := '(' or ')' | selector op value, where
/// <paramref name="readSelector"/> reads a selector (a JSON path, a field's name) and a value is <c>"quoted"</c>,
/// <c>%regex%</c> or bare (up to a space, <c>)</c>, <c>&amp;</c>, <c>|</c> or one of <paramref name="stops"/>). It stops
/// before what it cannot read; the caller says whether what follows (<see cref="Position"/>) may follow.
/// </summary>
internal sealed class FilterConditionParser(string text, int start, FilterConditionParser.SelectorReader readSelector, string stops = "")
{
    private const int MaxDepth = 16;
    private static readonly string[] Operators = ["!=", "<=", ">=", "=", "<", ">"];
    private int _depth;

    /// <summary>Reads a selector at <paramref name="position"/> and moves past it; null (position anywhere) when there is none.</summary>
    public delegate object? SelectorReader(string text, ref int position);

    /// <summary>Where reading stopped (after the condition and the spaces that follow it).</summary>
    public int Position { get; private set; } = start;

    /// <summary>The condition; null when the text there is not one.</summary>
    public FilterCondition? TryParse()
    {
        var condition = ParseOr();
        SkipSpace();
        return condition;
    }

    private FilterCondition? ParseOr()
    {
        var left = ParseAnd();
        while (left is not null && Accept("||"))
        {
            left = ParseAnd() is { } right ? new FilterCondition.Either(left, right) : null;
        }

        return left;
    }

    private FilterCondition? ParseAnd()
    {
        var left = ParsePrimary();
        while (left is not null && Accept("&&"))
        {
            left = ParsePrimary() is { } right ? new FilterCondition.Both(left, right) : null;
        }

        return left;
    }

    private FilterCondition? ParsePrimary()
    {
        if (Accept("("))
        {
            if (++_depth > MaxDepth)
            {
                return null;
            }

            var inner = ParseOr();
            _depth--;
            return inner is not null && Accept(")") ? inner : null;
        }

        SkipSpace();
        var position = Position;
        if (readSelector(text, ref position) is not { } selector)
        {
            return null;
        }

        Position = position;
        var op = Operators.FirstOrDefault(Accept);
        if (op is null)
        {
            return null;
        }

        SkipSpace();
        if (Position < text.Length && text[Position] is '"' or '%')
        {
            var open = text[Position];
            var close = text.IndexOf(open, Position + 1);
            if (close < 0)
            {
                return null;
            }

            var inside = text[(Position + 1)..close];
            Position = close + 1;
            if (open == '"')
            {
                return new FilterCondition.Comparison(selector, op, inside, Quoted: true, Regex: null);
            }

            return FilterCondition.CompileRegex(inside) is { } regex
                ? new FilterCondition.Comparison(selector, op, inside, Quoted: false, regex)
                : null;
        }

        var begin = Position;
        while (Position < text.Length && !char.IsWhiteSpace(text[Position]) && text[Position] is not (')' or '&' or '|') && !stops.Contains(text[Position], StringComparison.Ordinal))
        {
            Position++;
        }

        return Position > begin ? new FilterCondition.Comparison(selector, op, text[begin..Position], Quoted: false, Regex: null) : null;
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, Position, token, 0, token.Length) != 0)
        {
            return false;
        }

        Position += token.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (Position < text.Length && char.IsWhiteSpace(text[Position]))
        {
            Position++;
        }
    }
}
