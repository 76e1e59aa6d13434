using System.Text.Json.Serialization;

namespace Claims.Functions;

/// <summary>The body of every error response.</summary>
/// <param name="Message">What went wrong, for the caller.</param>
public sealed record ErrorBody([property: JsonPropertyName("message")] string Message);
