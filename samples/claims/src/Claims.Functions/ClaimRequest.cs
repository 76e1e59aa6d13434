namespace Claims.Functions;

/// <summary>What a claims handler needs of an API Gateway proxy request.</summary>
/// <param name="Stage">The stage the request came through, for the Location header.</param>
/// <param name="RequestId">The request id, logged with unexpected errors.</param>
/// <param name="PathParameters">Path parameters (<c>id</c>).</param>
/// <param name="QueryStringParameters">Query string parameters.</param>
/// <param name="Headers">Request headers, any case.</param>
/// <param name="Body">The body, decoded, or null.</param>
public sealed record ClaimRequest(
    string Stage,
    string RequestId,
    IReadOnlyDictionary<string, string> PathParameters,
    IReadOnlyDictionary<string, string> QueryStringParameters,
    IReadOnlyDictionary<string, string> Headers,
    string? Body)
{
    /// <summary>A query parameter, or null when absent or empty.</summary>
    public string? Query(string name) =>
        QueryStringParameters.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>A header by case-insensitive name, or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
