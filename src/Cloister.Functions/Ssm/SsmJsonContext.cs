using System.Text.Json.Serialization;

namespace Cloister.Functions.Ssm;

/// <summary>The records <see cref="ParameterStore"/> writes, in camelCase.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ParameterStore.StoredRecord))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;
