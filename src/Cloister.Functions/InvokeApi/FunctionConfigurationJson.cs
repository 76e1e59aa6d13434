using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's <c>FunctionConfiguration</c> (the API reference's shape) of one version of a deployed function, from the
/// template's model: what GetFunction, GetFunctionConfiguration and ListFunctions answer with. What Cloister does not
/// have is left out rather than made up (<c>CodeSize</c>, <c>CodeSha256</c>, <c>RevisionId</c>, <c>VpcConfig.VpcId</c>);
/// see docs/functions.md, "The Invoke API".
/// </summary>
internal static class FunctionConfigurationJson
{
    /// <summary>The machine's architecture as Lambda names it: the functions run on it.</summary>
    private static readonly string Architecture = RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64";

    /// <summary>Writes the configuration object.</summary>
    /// <param name="writer">Where.</param>
    /// <param name="version">The version: its configuration, number (<c>$LATEST</c> or <c>1</c>...) and description.</param>
    /// <param name="arn">Its ARN as the answer gives it (qualified when the call named a qualifier, or in a list of every version).</param>
    /// <param name="lastModified">When it was deployed.</param>
    /// <param name="states">Whether to add the state fields GetFunction gives and ListFunctions leaves out (<c>State</c>, <c>LastUpdateStatus</c>).</param>
    public static void Write(Utf8JsonWriter writer, FunctionVersion version, string arn, DateTimeOffset lastModified, bool states)
    {
        var function = version.Configuration;
        writer.WriteStartObject();
        writer.WriteString("FunctionName"u8, function.FunctionName);
        writer.WriteString("FunctionArn"u8, arn);
        writer.WriteString("Runtime"u8, function.Runtime);
        if (function.RoleArn is { } role)
        {
            writer.WriteString("Role"u8, role);
        }

        if (function.Handler is { } handler)
        {
            writer.WriteString("Handler"u8, handler);
        }

        writer.WriteString("Description"u8, version.Description ?? string.Empty);
        writer.WriteNumber("Timeout"u8, function.TimeoutSeconds);
        writer.WriteNumber("MemorySize"u8, function.MemorySize);
        writer.WriteString("LastModified"u8, lastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));
        writer.WriteString("Version"u8, version.Version);
        if (function.Vpc is { } vpc)
        {
            writer.WriteStartObject("VpcConfig"u8);
            WriteStrings(writer, "SubnetIds"u8, vpc.SubnetIds);
            WriteStrings(writer, "SecurityGroupIds"u8, vpc.SecurityGroupIds);
            writer.WriteEndObject();
        }

        if (!function.Environment.IsEmpty)
        {
            writer.WriteStartObject("Environment"u8);
            writer.WriteStartObject("Variables"u8);
            foreach (var (key, value) in function.Environment.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteStartObject("TracingConfig"u8);
        writer.WriteString("Mode"u8, "PassThrough");
        writer.WriteEndObject();
        if (states)
        {
            writer.WriteString("State"u8, "Active");
            writer.WriteString("LastUpdateStatus"u8, "Successful");
        }

        writer.WriteString("PackageType"u8, "Zip");
        WriteStrings(writer, "Architectures"u8, [Architecture]);
        writer.WriteStartObject("EphemeralStorage"u8);
        writer.WriteNumber("Size"u8, 512);
        writer.WriteEndObject();
        writer.WriteStartObject("LoggingConfig"u8);
        writer.WriteString("LogFormat"u8, "Text");
        writer.WriteString("LogGroup"u8, "/aws/lambda/" + function.FunctionName);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
