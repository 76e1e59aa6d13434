using System.Buffers;
using System.Globalization;
using System.Text;
using Cloister.Gateway.Pipeline;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloister.Gateway.Responses;

/// <summary>
/// The gateway's answer to a request Kestrel refused before the gateway saw it: Kestrel's status, a gateway response's
/// JSON body (<c>{"message":"Bad Request"}</c>, <c>Request Header Fields Too Large</c>, <c>Request-URI Too Long</c>...),
/// the request ids, no <c>x-amzn-ErrorType</c> (as the gateway's own 400s and 431s), and <c>Connection: close</c>, since
/// Kestrel closes the connection after a refusal. No API is known yet, so no gateway response override applies.
/// </summary>
internal static class KestrelRefusalResponse
{
    /// <summary>Writes the whole answer to <paramref name="output"/>; returns its request id.</summary>
    public static string Write(IBufferWriter<byte> output, int status)
    {
        var (requestId, extendedRequestId) = RequestIds.Next();
        var error = status switch
        {
            431 => GatewayError.HeadersTooLarge,
            414 => GatewayError.UriTooLong,
            _ => new GatewayError("DEFAULT_4XX", status, ReasonPhrases.GetReasonPhrase(status), null),
        };
        var body = GatewayResponseWriter.DefaultBody(error);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\nDate: {DateTimeOffset.UtcNow:r}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\nx-amzn-RequestId: {requestId}\r\nx-amz-apigw-id: {extendedRequestId}\r\n\r\n");
        output.Write(Encoding.ASCII.GetBytes(head));
        output.Write(body);
        return requestId;
    }
}
