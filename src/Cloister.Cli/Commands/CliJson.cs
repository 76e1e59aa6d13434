using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cloister.Host.Control;
using Cloister.Host.Status;

namespace Cloister.Cli.Commands;

/// <summary>Source-generated JSON for what the verbs print with <c>--json</c>.</summary>
[JsonSerializable(typeof(StackStatus))]
[JsonSerializable(typeof(DescribeStacks))]
[JsonSerializable(typeof(InvocationReply))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>
    /// As the AWS CLI prints JSON (<c>json.dumps(indent=4, ensure_ascii=False)</c>): indented by four, and only what
    /// JSON requires escaped, so an Output's <c>&amp;</c>, <c>'</c> or <c>é</c> stays as the template wrote it.
    /// </summary>
    public static CliJson Printed { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        IndentSize = 4,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
