namespace Cloister.Tables.Expressions;

/// <summary>One token and where it starts in the expression text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}
