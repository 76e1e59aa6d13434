namespace Cloister.Tables.Values;

/// <summary>The ten DynamoDB data types, named as they appear on the wire.</summary>
internal enum AttributeKind : byte
{
    S,
    N,
    B,
    BOOL,
    NULL,
    M,
    L,
    SS,
    NS,
    BS,
}
