using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Api;
using Microsoft.Extensions.Primitives;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// <c>contentHandling</c> for non-proxy integrations, after the developer guide's tables ("Content type conversions in
/// API Gateway"). A payload is binary when its <c>Content-Type</c> matches the API's binary media types. A request
/// goes to the backend as binary when <c>CONVERT_TO_BINARY</c> says so, as text when <c>CONVERT_TO_TEXT</c> says so,
/// and as it came otherwise; a response goes to the client as its integration response's <c>contentHandling</c> says,
/// and without one as binary exactly when the first media type of <c>Accept</c> is a binary one. Mapping templates work
/// on the text side: binary becomes base64 text before a template, and text becomes binary after it.
/// </summary>
internal static class ContentConversion
{
    /// <summary>What to do to a payload: encode it before the template, decode it after.</summary>
    public readonly record struct Plan(bool Encode, bool Decode)
    {
        public static Plan None => default;
    }

    /// <summary>The request table: <c>CONVERT_TO_TEXT</c> encodes binary data, <c>CONVERT_TO_BINARY</c> decodes text.</summary>
    public static Plan ForRequest(ContentHandling handling, ImmutableArray<string> binaryMediaTypes, string? contentType)
    {
        if (handling == ContentHandling.Passthrough)
        {
            return Plan.None;
        }

        var binary = MediaTypes.IsBinary(binaryMediaTypes, contentType);
        return new(binary && handling == ContentHandling.ConvertToText, !binary && handling == ContentHandling.ConvertToBinary);
    }

    /// <summary>
    /// The response table: the client is meant to get binary when <c>contentHandling</c> is <c>CONVERT_TO_BINARY</c>, or
    /// when it is absent and <c>Accept</c> names a binary type first; a payload of the other kind is converted.
    /// </summary>
    public static Plan ForResponse(ContentHandling handling, ImmutableArray<string> binaryMediaTypes, string? payloadContentType, StringValues accept)
    {
        if (handling == ContentHandling.Passthrough && binaryMediaTypes.IsDefaultOrEmpty)
        {
            return Plan.None;
        }

        var wantsBinary = handling switch
        {
            ContentHandling.ConvertToBinary => true,
            ContentHandling.ConvertToText => false,
            _ => MediaTypes.AcceptsBinary(binaryMediaTypes, accept),
        };
        var binary = MediaTypes.IsBinary(binaryMediaTypes, payloadContentType);
        return new(binary && !wantsBinary, !binary && wantsBinary);
    }

    /// <summary>The payload's base64 text, as UTF-8.</summary>
    public static ReadOnlyMemory<byte> Encode(ReadOnlyMemory<byte> payload) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(payload.Span));

    /// <summary>
    /// The bytes a base64 text stands for; false when it is not base64 (API Gateway then answers 500, a configuration
    /// error). A text that is one JSON string, as a Lambda function returning its base64 string produces, is read as that
    /// string's value.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> text, out ReadOnlyMemory<byte> bytes)
    {
        var span = text.Span;
        if (span.Length >= 2 && span[0] == (byte)'"' && span[^1] == (byte)'"')
        {
            span = span[1..^1];
        }

        var buffer = new byte[span.Length / 4 * 3 + 3];
        if (Convert.TryFromBase64String(Encoding.ASCII.GetString(span), buffer, out var written))
        {
            bytes = buffer.AsMemory(0, written);
            return true;
        }

        bytes = ReadOnlyMemory<byte>.Empty;
        return false;
    }
}
