namespace Cloister.Tables.Expressions;

/// <summary>The lexical classes of DynamoDB's expression language.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    NameReference,
    ValueReference,
    Integer,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Dot,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
}
