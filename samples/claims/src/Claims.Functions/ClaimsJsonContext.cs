using System.Text.Json.Serialization;

namespace Claims.Functions;

/// <summary>Source-generated JSON for the types the handlers write.</summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ClaimsJsonContext : JsonSerializerContext;
