using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Code;
using Cloister.Model.Compute;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's <c>FunctionConfiguration</c> (the API reference's shape) of one version of a deployed function, from the
/// template's model: what GetFunction, GetFunctionConfiguration and ListFunctions answer with. What Cloister does not
/// have is left out rather than made up (<c>VpcConfig.VpcId</c> of a subnet it does not know); the tags are not part
/// of it (GetFunction gives them beside it, as Lambda does); see
/// docs/functions.md, "Read-only operations".
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
    /// <param name="code">Its deployment package (<c>CodeSize</c>, <c>CodeSha256</c>), or null when its code cannot be read.</param>
    /// <param name="vpcId">The VPC of its subnets, when it is in one Cloister knows.</param>
    /// <param name="states">Whether to add the state fields GetFunction gives and ListFunctions leaves out (<c>State</c>, <c>LastUpdateStatus</c>).</param>
    public static void Write(Utf8JsonWriter writer, FunctionVersion version, string arn, DateTimeOffset lastModified, CodePackage? code, string? vpcId, bool states)
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

        if (code is not null)
        {
            writer.WriteNumber("CodeSize"u8, code.Size);
        }

        writer.WriteString("Description"u8, version.Description ?? string.Empty);
        writer.WriteNumber("Timeout"u8, function.TimeoutSeconds);
        writer.WriteNumber("MemorySize"u8, function.MemorySize);
        writer.WriteString("LastModified"u8, lastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));
        if (code is not null)
        {
            writer.WriteString("CodeSha256"u8, code.Sha256);
        }

        writer.WriteString("Version"u8, version.Version);
        if (function.Vpc is { } vpc)
        {
            writer.WriteStartObject("VpcConfig"u8);
            WriteStrings(writer, "SubnetIds"u8, vpc.SubnetIds);
            WriteStrings(writer, "SecurityGroupIds"u8, vpc.SecurityGroupIds);
            if (vpcId is not null)
            {
                writer.WriteString("VpcId"u8, vpcId);
            }

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
        writer.WriteString("RevisionId"u8, RevisionId(version, lastModified, code));
        if (states)
        {
            writer.WriteString("State"u8, "Active");
            writer.WriteString("LastUpdateStatus"u8, "Successful");
        }

        if (!function.Layers.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("Layers"u8);
            for (var i = 0; i < function.Layers.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("Arn"u8, function.Layers[i].Arn);
                writer.WriteNumber("CodeSize"u8, code is not null && i < code.LayerSizes.Length ? code.LayerSizes[i] : 0);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
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

    /// <summary>
    /// Lambda's <c>RevisionId</c>, a UUID that changes whenever the version does: here made from what the version is
    /// (function, version, when it was deployed, its code's hash), so it is the same on every call until a redeploy.
    /// </summary>
    internal static string RevisionId(FunctionVersion version, DateTimeOffset lastModified, CodePackage? code)
    {
        var identity = string.Join('\n', version.Configuration.FunctionName, version.Version, lastModified.UtcTicks.ToString(CultureInfo.InvariantCulture), code?.Sha256 ?? string.Empty);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(identity), hash);
        // A version 4 UUID's form (RFC 9562: version nibble 4, variant bits 10) over the hash's first 16 bytes.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
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
