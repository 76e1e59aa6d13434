using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// The condition of a JSON pattern (<c>{ $.a = 1 &amp;&amp; $.b != x }</c>) or of a space-delimited pattern's field
/// (<c>status_code = 4* || status_code = 5*</c>): comparisons joined by <c>&amp;&amp;</c> (binding tighter) and
/// <c>||</c>, in parentheses. What a comparison's selector picks is the pattern's business: each kind of pattern
/// answers a <see cref="Comparison"/> over its own values.
/// </summary>
internal abstract record FilterCondition
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether the condition holds, <paramref name="holds"/> judging each comparison.</summary>
    public abstract bool Matches(Func<Comparison, bool> holds);

    /// <summary>Every comparison, left to right.</summary>
    public abstract IEnumerable<Comparison> Comparisons();

    /// <summary>Whether <paramref name="message"/> matches <paramref name="regex"/>; a match that takes too long is no match.</summary>
    public static bool MatchesRegex(Regex regex, string message)
    {
        try
        {
            return regex.IsMatch(message);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>A filter pattern's <c>%regex%</c> (.NET syntax, a 100 ms limit per match); null when it does not compile.</summary>
    public static Regex? CompileRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public sealed record Both(FilterCondition Left, FilterCondition Right) : FilterCondition
    {
        public override bool Matches(Func<Comparison, bool> holds) => Left.Matches(holds) && Right.Matches(holds);

        public override IEnumerable<Comparison> Comparisons() => Left.Comparisons().Concat(Right.Comparisons());
    }

    public sealed record Either(FilterCondition Left, FilterCondition Right) : FilterCondition
    {
        public override bool Matches(Func<Comparison, bool> holds) => Left.Matches(holds) || Right.Matches(holds);

        public override IEnumerable<Comparison> Comparisons() => Left.Comparisons().Concat(Right.Comparisons());
    }

    /// <summary>
    /// <c>SELECTOR OP VALUE</c>: the value is a number when bare and numeric (<see cref="Number"/>), else text with
    /// <c>*</c> wildcards (quoted or not), or a <c>%regex%</c> (<see cref="Regex"/>).
    /// </summary>
    /// <param name="Selector">What the pattern selects: a JSON path (a list of names and indexes) or a field's name.</param>
    /// <param name="Operator"><c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c> or <c>&gt;=</c>.</param>
    /// <param name="Value">The value as written, without its quotes or percent signs.</param>
    /// <param name="Quoted">Whether it was in double quotes (then never a number).</param>
    /// <param name="Regex">The compiled <c>%regex%</c>, if it was one.</param>
    public sealed record Comparison(object Selector, string Operator, string Value, bool Quoted, Regex? Regex) : FilterCondition
    {
        /// <summary>The value as a number, when it is a bare number.</summary>
        public double? Number { get; } = !Quoted && Regex is null && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

        public override bool Matches(Func<Comparison, bool> holds) => holds(this);

        public override IEnumerable<Comparison> Comparisons() => [this];

        /// <summary>What <c>=</c> or <c>!=</c> says of <paramref name="text"/>; the ordering operators hold for no text.</summary>
        public bool HoldsForText(string text)
        {
            if (Operator is not ("=" or "!="))
            {
                return false;
            }

            var equal = Regex is not null
                ? MatchesRegex(Regex, text)
                : Value.Contains('*', StringComparison.Ordinal)
                    ? MatchesWildcard(text)
                    : text == Value;
            return Operator == "=" ? equal : !equal;
        }

        /// <summary>What the operator says of <paramref name="number"/> against <see cref="Number"/>.</summary>
        public bool HoldsForNumber(double number)
        {
            var order = number.CompareTo(Number!.Value);
            return Operator switch
            {
                "=" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }

        // '*' matches any run of characters, everything else itself.
        private bool MatchesWildcard(string text)
        {
            var parts = Value.Split('*');
            if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal) || text.Length < parts[0].Length + parts[^1].Length)
            {
                return false;
            }

            var position = parts[0].Length;
            var end = text.Length - parts[^1].Length;
            for (var i = 1; i < parts.Length - 1; i++)
            {
                var at = text.IndexOf(parts[i], position, StringComparison.Ordinal);
                if (at < 0 || at + parts[i].Length > end)
                {
                    return false;
                }

                position = at + parts[i].Length;
            }

            return true;
        }
    }
}
