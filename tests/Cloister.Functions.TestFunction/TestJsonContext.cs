using System.Text.Json.Serialization;

namespace Cloister.Functions.TestFunction;

[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
