using Cloister.Tables.Expressions;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.PartiQL;

/// <summary>Splits a PartiQL statement into tokens: names double-quoted, strings single-quoted (a quote doubled inside), as DynamoDB reads them.</summary>
internal static class PartiqlLexer
{
    /// <summary>DynamoDB's limit on a statement's length.</summary>
    public const int MaxStatementLength = 8192;

    private static readonly string[] Symbols = ["<<", ">>", "<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "*", "?", "+", "-"];

    public static List<PartiqlToken> Tokenize(string text)
    {
        if (text.Length > MaxStatementLength)
        {
            throw DynamoDbException.Validation(
                $"1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length less than or equal to {MaxStatementLength}");
        }

        var tokens = new List<PartiqlToken>();
        for (var i = NameScanner.SkipWhiteSpace(text, 0); i < text.Length; i = NameScanner.SkipWhiteSpace(text, i))
        {
            var c = text[i];
            var start = i;
            if (NameScanner.IsNameStart(c))
            {
                i = NameScanner.NameEnd(text, i);
                tokens.Add(new PartiqlToken(PartiqlTokenKind.Word, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' ||
                    ((text[i] is 'e' or 'E') && i + 1 < text.Length) ||
                    ((text[i] is '+' or '-') && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                tokens.Add(new PartiqlToken(PartiqlTokenKind.Number, text[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new PartiqlToken(c == '"' ? PartiqlTokenKind.QuotedName : PartiqlTokenKind.String, Quoted(text, ref i, c), start));
            }
            else if (Symbol(text, i) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new PartiqlToken(PartiqlTokenKind.Symbol, symbol, start));
            }
            else
            {
                throw PartiqlParser.Malformed($"Unexpected character '{c}' at position {start + 1}");
            }
        }

        tokens.Add(new PartiqlToken(PartiqlTokenKind.End, "", text.Length));
        return tokens;
    }

    private static string Quoted(string text, ref int i, char quote)
    {
        var builder = new System.Text.StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw PartiqlParser.Malformed("Unterminated " + (quote == '"' ? "quoted identifier" : "string"));
            }

            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    builder.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return builder.ToString();
            }

            builder.Append(text[i++]);
        }
    }

    private static string? Symbol(string text, int i)
    {
        foreach (var symbol in Symbols)
        {
            if (string.CompareOrdinal(text, i, symbol, 0, symbol.Length) == 0)
            {
                return symbol;
            }
        }

        return null;
    }
}
