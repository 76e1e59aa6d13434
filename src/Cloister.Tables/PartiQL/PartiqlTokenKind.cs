namespace Cloister.Tables.PartiQL;

internal enum PartiqlTokenKind
{
    /// <summary>A bare word: a keyword, a function or an unquoted name.</summary>
    Word,

    /// <summary>A double-quoted name.</summary>
    QuotedName,

    /// <summary>A single-quoted string.</summary>
    String,

    Number,
    Symbol,
    End,
}
