using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.RuntimeApi;

/// <summary>The fixed bodies the Runtime API answers with.</summary>
internal static class RuntimeApiResponses
{
    public static ReadOnlyMemory<byte> Accepted { get; } = "{\"status\":\"OK\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> NotFound { get; } =
        "{\"errorMessage\":\"Unknown Runtime API endpoint\",\"errorType\":\"NotFound\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidRequestId { get; } =
        "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidResponseMode { get; } =
        "{\"errorMessage\":\"Invalid function response mode\",\"errorType\":\"InvalidFunctionResponseMode\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> TooLarge { get; } =
        "{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}"u8.ToArray();

    public static ReadOnlyMemory<byte> StreamTooLarge { get; } =
        "{\"errorMessage\":\"Exceeded maximum allowed payload size (209715200 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}"u8.ToArray();

    public static Task WriteAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
