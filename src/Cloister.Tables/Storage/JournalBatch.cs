namespace Cloister.Tables.Storage;

/// <summary>The operations of one request, committed together under one journal position.</summary>
internal sealed record JournalBatch(long Lsn, IReadOnlyList<JournalOperation> Operations);
