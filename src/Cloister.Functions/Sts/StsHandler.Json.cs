using System.Buffers;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Sts;

/// <summary>
/// STS's answers as JSON, for a caller that asks with <c>Accept: application/json</c> (as the Query APIs answer it:
/// tools that verify a caller's identity, such as aws-iam-authenticator, read GetCallerIdentity that way): the XML
/// document's elements as nested objects and its leaves as strings, <c>{"GetCallerIdentityResponse":{"GetCallerIdentityResult":
/// {"Arn":…,"UserId":…,"Account":…},"ResponseMetadata":{"RequestId":…}}}</c>; an error without its <c>ErrorResponse</c>
/// wrapper, <c>{"Error":{"Type":…,"Code":…,"Message":…},"RequestId":…}</c>.
/// </summary>
internal sealed partial class StsHandler
{
    /// <summary>Whether the caller asked for JSON rather than STS's default XML.</summary>
    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary><paramref name="xml"/>, one of this handler's documents, as JSON.</summary>
    private static byte[] ToJson(string xml)
    {
        var root = XDocument.Parse(xml).Root!;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var element in root.Name.LocalName == "ErrorResponse" ? root.Elements() : [root])
            {
                Write(writer, element);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, XElement element)
    {
        if (!element.HasElements)
        {
            writer.WriteString(element.Name.LocalName, element.Value);
            return;
        }

        writer.WriteStartObject(element.Name.LocalName);
        foreach (var child in element.Elements())
        {
            Write(writer, child);
        }

        writer.WriteEndObject();
    }
}
