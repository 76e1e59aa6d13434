namespace Cloister.Tables.PartiQL;

internal enum PartiqlStatementKind
{
    Select,
    Insert,
    Update,
    Delete,
}
