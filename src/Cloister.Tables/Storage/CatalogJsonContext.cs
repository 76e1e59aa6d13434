using System.Text.Json.Serialization;

namespace Cloister.Tables.Storage;

/// <summary>Source-generated serialization of table definitions and backups for the catalog (no reflection).</summary>
[JsonSerializable(typeof(TableDefinition))]
[JsonSerializable(typeof(BackupRecord))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
