namespace Cloister.Tables.Expressions;

/// <summary>Splits an expression into tokens; a character DynamoDB does not accept is a syntax error.</summary>
internal static class ExpressionLexer
{
    public static List<Token> Tokenize(string text, string kind)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            if (c is '#' or ':')
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                if (i == start + 1)
                {
                    throw Syntax(kind, text, c.ToString(), start);
                }

                tokens.Add(new Token(c == '#' ? TokenKind.NameReference : TokenKind.ValueReference, text[start..i], start));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Integer, text[start..i], start));
                continue;
            }

            var (tokenKind, length) = c switch
            {
                '(' => (TokenKind.OpenParen, 1),
                ')' => (TokenKind.CloseParen, 1),
                '[' => (TokenKind.OpenBracket, 1),
                ']' => (TokenKind.CloseBracket, 1),
                ',' => (TokenKind.Comma, 1),
                '.' => (TokenKind.Dot, 1),
                '=' => (TokenKind.Equal, 1),
                '+' => (TokenKind.Plus, 1),
                '-' => (TokenKind.Minus, 1),
                '<' when Peek(text, i + 1) == '>' => (TokenKind.NotEqual, 2),
                '<' when Peek(text, i + 1) == '=' => (TokenKind.LessOrEqual, 2),
                '<' => (TokenKind.Less, 1),
                '>' when Peek(text, i + 1) == '=' => (TokenKind.GreaterOrEqual, 2),
                '>' => (TokenKind.Greater, 1),
                _ => (TokenKind.End, 0),
            };
            if (length == 0)
            {
                throw Syntax(kind, text, c.ToString(), start);
            }

            tokens.Add(new Token(tokenKind, text.Substring(start, length), start));
            i += length;
        }

        tokens.Add(new Token(TokenKind.End, "<EOF>", text.Length));
        return tokens;
    }

    public static Protocol.DynamoDbException Syntax(string kind, string text, string token, int offset)
    {
        var from = Math.Max(0, offset - 8);
        var to = Math.Min(text.Length, offset + Math.Max(token.Length, 1) + 8);
        var near = text[from..to];
        return Protocol.DynamoDbException.Validation($"Invalid {kind}: Syntax error; token: \"{token}\", near: \"{near}\"");
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';
}
