using System.Text.Json;

namespace Claims.Functions;

/// <summary>A handler's answer: status, headers and a JSON body (or none).</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Headers">Headers besides Content-Type.</param>
/// <param name="Body">The body, or null for none.</param>
public sealed record ClaimResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    private static readonly IReadOnlyDictionary<string, string> JsonHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/json" };

    /// <summary>A JSON response.</summary>
    public static ClaimResponse Json(int statusCode, string json, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        if (extraHeaders is null)
        {
            return new ClaimResponse(statusCode, JsonHeaders, json);
        }

        var headers = new Dictionary<string, string>(JsonHeaders);
        foreach (var (key, value) in extraHeaders)
        {
            headers[key] = value;
        }

        return new ClaimResponse(statusCode, headers, json);
    }

    /// <summary>An error: <c>{"message":"..."}</c>, always JSON.</summary>
    public static ClaimResponse Error(int statusCode, string message) =>
        Json(statusCode, JsonSerializer.Serialize(new ErrorBody(message), ClaimsJsonContext.Default.ErrorBody));

    /// <summary>204 with no body.</summary>
    public static ClaimResponse NoContent() => new(204, JsonHeaders, null);
}
