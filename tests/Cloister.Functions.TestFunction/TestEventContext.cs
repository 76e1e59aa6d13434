using System.Text.Json.Serialization;

namespace Cloister.Functions.TestFunction;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TestEvent))]
internal sealed partial class TestEventContext : JsonSerializerContext;
