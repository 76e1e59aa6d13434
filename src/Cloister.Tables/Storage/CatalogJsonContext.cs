using System.Text.Json.Serialization;

namespace Cloister.Tables.Storage;

/// <summary>Source-generated serialization of table definitions for the catalog (no reflection).</summary>
[JsonSerializable(typeof(TableDefinition))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
