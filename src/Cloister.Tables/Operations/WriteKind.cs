namespace Cloister.Tables.Operations;

/// <summary>What a single-item write does.</summary>
internal enum WriteKind
{
    Put,
    Update,
    Delete,
    ConditionCheck,
}
