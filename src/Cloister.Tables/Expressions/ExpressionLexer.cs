namespace Cloister.Tables.Expressions;

/// <summary>Splits an expression into tokens; a character DynamoDB does not accept is a syntax error.</summary>
internal static class ExpressionLexer
{
    public static List<Token> Tokenize(string text, string kind)
    {
        var tokens = new List<Token>();
        for (var i = NameScanner.SkipWhiteSpace(text, 0); i < text.Length; i = NameScanner.SkipWhiteSpace(text, i))
        {
            var c = text[i];
            var start = i;
            if (NameScanner.IsNameStart(c))
            {
                i = NameScanner.NameEnd(text, i);
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            if (c is '#' or ':')
            {
                i = NameScanner.NameEnd(text, i + 1);
                if (i == start + 1)
                {
                    throw CharacterError(kind, text, tokens, start);
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
                throw CharacterError(kind, text, tokens, start);
            }

            tokens.Add(new Token(tokenKind, text.Substring(start, length), start));
            i += length;
        }

        tokens.Add(new Token(TokenKind.End, "<EOF>", text.Length));
        return tokens;
    }

    /// <summary>
    /// DynamoDB's syntax error: the token it stopped at and, as "near", the text from the start of the token before it to the end
    /// of the token after it (as DynamoDB answered "ADD hits : incr" with token ":", near "hits : incr", and ", #," with token
    /// "#", near ", #,").
    /// </summary>
    public static Protocol.DynamoDbException Syntax(string kind, string text, string token, int nearFrom, int nearTo) =>
        Protocol.DynamoDbException.Validation($"Invalid {kind}: Syntax error; token: \"{token}\", near: \"{text[nearFrom..nearTo]}\"");

    /// <summary>A character no token starts with (or a lone # or :): the token after it is read as a word or one character.</summary>
    private static Protocol.DynamoDbException CharacterError(string kind, string text, List<Token> tokens, int offset)
    {
        var next = NameScanner.SkipWhiteSpace(text, offset + 1);
        var end = next;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '#' or ':'))
        {
            end++;
        }

        end = next == text.Length ? offset + 1 : Math.Max(end, next + 1);
        return Syntax(kind, text, text[offset].ToString(), tokens.Count > 0 ? tokens[^1].Offset : offset, end);
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';
}
