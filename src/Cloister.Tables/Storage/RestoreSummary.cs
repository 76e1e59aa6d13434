namespace Cloister.Tables.Storage;

/// <summary>Where a restored table came from, as TableDescription's RestoreSummary reports it.</summary>
internal sealed record RestoreSummary(string SourceBackupArn, string SourceTableArn, DateTimeOffset RestoreDateTime);
