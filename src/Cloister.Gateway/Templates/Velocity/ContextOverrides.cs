using System.Globalization;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// What a template set through <c>$context.requestOverride</c> (headers, query string, path of the integration
/// request) and <c>$context.responseOverride</c> (status and headers of the method response).
/// </summary>
internal sealed class ContextOverrides
{
    public Dictionary<string, string> RequestHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> RequestQuery { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> RequestPath { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int? ResponseStatus { get; set; }

    public bool IsEmpty => RequestHeaders.Count == 0 && RequestQuery.Count == 0 && RequestPath.Count == 0 && ResponseHeaders.Count == 0 && ResponseStatus is null;

    /// <summary>The map behind <c>$context.{group}</c> for a settable group; null for others.</summary>
    public Dictionary<string, string>? Group(string group) => group switch
    {
        "requestOverride.header" => RequestHeaders,
        "requestOverride.querystring" => RequestQuery,
        "requestOverride.path" => RequestPath,
        "responseOverride.header" => ResponseHeaders,
        _ => null,
    };

    /// <summary>Takes a final status (200–599; a 1xx is an interim answer, which a response cannot be).</summary>
    public bool TrySetStatus(object? value)
    {
        switch (value)
        {
            case long status when status is >= 200 and <= 599:
                ResponseStatus = (int)status;
                return true;
            case string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 200 and <= 599:
                ResponseStatus = parsed;
                return true;
            default:
                return false;
        }
    }
}
