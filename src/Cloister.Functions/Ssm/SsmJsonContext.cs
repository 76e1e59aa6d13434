using System.Text.Json.Serialization;

namespace Cloister.Functions.Ssm;

/// <summary>The records <see cref="ParameterStore"/> and <see cref="CommandStore"/> write, in camelCase.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ParameterStore.StoredRecord))]
[JsonSerializable(typeof(CommandStore.StoredCommand))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;
