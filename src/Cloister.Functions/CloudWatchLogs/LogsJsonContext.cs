using System.Text.Json.Serialization;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>The records <see cref="LogStore"/> writes, in camelCase as the function logs are written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LogStore.CreatedRecord))]
[JsonSerializable(typeof(LogStore.CatalogRecord))]
[JsonSerializable(typeof(LogStore.EventLine))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
