using System.Text.Json.Serialization;
using Cloister.Host.Control;
using Cloister.Host.Status;

namespace Cloister.Cli.Commands;

/// <summary>Source-generated JSON for what the verbs print with <c>--json</c>, indented as the AWS CLI prints.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StackStatus))]
[JsonSerializable(typeof(DescribeStacks))]
[JsonSerializable(typeof(InvocationReply))]
internal sealed partial class CliJson : JsonSerializerContext;
