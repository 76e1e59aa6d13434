namespace Cloister.Tables.PartiQL;

/// <summary>One token of a PartiQL statement: its kind, its text (unquoted for strings and quoted names) and where it starts.</summary>
internal readonly record struct PartiqlToken(PartiqlTokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) => Kind == PartiqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == PartiqlTokenKind.Symbol && Text == symbol;
}
