using Cloister.Model.Api;

namespace Cloister.Cli.Commands;

/// <summary>
/// The <c>curl</c> command line that calls a REST API method as the method declares it: every query string parameter
/// and header its <c>RequestParameters</c> mark required (<c>true</c>) gets a plausible example value, so a function
/// that checks them itself answers 2xx; a POST sends an empty JSON object. API Gateway enforces required parameters
/// only with a request validator, so without one the function's own check is what a missing parameter meets.
/// </summary>
internal static class ApiCurl
{
    private const string QueryPrefix = "method.request.querystring.";
    private const string HeaderPrefix = "method.request.header.";

    /// <summary>Names whose example value is a count rather than a word.</summary>
    private static readonly HashSet<string> Counts = new(StringComparer.OrdinalIgnoreCase) { "limit", "count", "page", "size", "offset" };

    /// <summary>The command calling <paramref name="method"/> at <paramref name="url"/> (which may carry a query already).</summary>
    /// <param name="url">The method's URL.</param>
    /// <param name="method">The method; null for a plain GET.</param>
    /// <param name="apiKey">The value of the <c>x-api-key</c> header to send; null for none.</param>
    public static string For(string url, ApiMethod? method, string? apiKey)
    {
        var words = new List<string> { "curl", "-s" };
        if (method?.HttpMethod == "POST")
        {
            words.AddRange(["-X", "POST", "-H", Quote("content-type: application/json"), "-d", Quote("{}")]);
        }

        if (apiKey is not null)
        {
            words.AddRange(["-H", Quote($"x-api-key: {apiKey}")]);
        }

        foreach (var header in Required(method, HeaderPrefix))
        {
            words.AddRange(["-H", Quote($"{header}: {Example(header)}")]);
        }

        var at = url.IndexOf('?', StringComparison.Ordinal);
        var query = at >= 0 ? url[(at + 1)..] : string.Empty;
        var given = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => Uri.UnescapeDataString(p.Split('=')[0])).ToHashSet(StringComparer.Ordinal);
        var added = Required(method, QueryPrefix).Where(n => !given.Contains(n)).Select(n => $"{Uri.EscapeDataString(n)}={Uri.EscapeDataString(Example(n))}").ToList();
        var full = added.Count == 0 ? url : url + (at >= 0 ? "&" : "?") + string.Join('&', added);
        words.Add(full.Contains('?', StringComparison.Ordinal) ? Quote(full) : full);
        return string.Join(' ', words);
    }

    /// <summary>The names of the required parameters under <paramref name="prefix"/>, in ordinal order so the command is stable.</summary>
    private static IEnumerable<string> Required(ApiMethod? method, string prefix) =>
        method is null
            ? []
            : method.RequestParameters.Where(p => p.Value && p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.Length > prefix.Length)
                .Select(p => p.Key[prefix.Length..])
                .Order(StringComparer.Ordinal);

    /// <summary>An id's initial and 1 (<c>memberId</c>, <c>member_id</c>: <c>m-1</c>), 1 for a count, else <c>example</c>.</summary>
    private static string Example(string name) =>
        name.Length > 2 && (name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("ID", StringComparison.Ordinal) || name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("-id", StringComparison.Ordinal))
            ? $"{char.ToLowerInvariant(name[0])}-1"
        : Counts.Contains(name) ? "1"
        : "example";

    private static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
