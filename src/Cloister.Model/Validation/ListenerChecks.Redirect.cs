using System.Globalization;
using Cloister.Model.LoadBalancing;

namespace Cloister.Model.Validation;

/// <summary>What ELB refuses in a redirect action's components.</summary>
public static partial class ListenerChecks
{
    /// <summary>The longest host, path or query a redirect action may give.</summary>
    public const int MaxRedirectComponentLength = 128;

    private const string ProtocolKeyword = "#{protocol}";
    private const string HostKeyword = "#{host}";
    private const string PortKeyword = "#{port}";
    private const string PathKeyword = "#{path}";
    private const string QueryKeyword = "#{query}";

    private static readonly string[] Keywords = [ProtocolKeyword, HostKeyword, PortKeyword, PathKeyword, QueryKeyword];

    /// <summary>
    /// The problems of a redirect on a listener of <paramref name="listenerProtocol"/>, each as the property below the
    /// <c>RedirectConfig</c> (<c>Host</c>, or empty for a loop, which concerns the whole). Each component takes only the
    /// keywords ELB lets it reuse: "#{protocol} - Use in the protocol and query components", #{host} "in the hostname,
    /// path, and query components", #{port} "in the port, path, and query components", #{path} "in the path and query
    /// components", #{query} "in the query component"; the host, path and query are at most 128 characters (the host
    /// and path at least 1), the path starts with "/". At least one of protocol, host, port and path must change, and
    /// an HTTPS listener cannot redirect to HTTP.
    /// </summary>
    public static IEnumerable<(string Property, string Message)> Redirect(RedirectAction redirect, string listenerProtocol)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        if (redirect.Protocol is not ("HTTP" or "HTTPS" or ProtocolKeyword))
        {
            yield return ("Protocol", $"'{redirect.Protocol}' is not HTTP, HTTPS or {ProtocolKeyword}.");
        }
        else if (redirect.Protocol == "HTTP" && listenerProtocol == "HTTPS")
        {
            yield return ("Protocol", "An HTTPS listener cannot redirect to HTTP.");
        }

        if (redirect.Port != PortKeyword && !(int.TryParse(redirect.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535))
        {
            yield return ("Port", $"'{redirect.Port}' is not a port (1 to 65535) or {PortKeyword}.");
        }

        if ((Length(redirect.Host, minimum: 1) ?? Misplaced(redirect.Host, HostKeyword)) is { } host)
        {
            yield return ("Host", host);
        }

        // ELB's own words for a path it refuses (InvalidLoadBalancerAction).
        var pathKeywords = new[] { PathKeyword, HostKeyword, PortKeyword };
        var pathFits = redirect.Path.StartsWith('/') &&
            Misplaced(redirect.Path, pathKeywords) is null &&
            pathKeywords.All(k => Occurrences(redirect.Path, k) <= 1);
        if ((Length(redirect.Path, minimum: 1) ?? (pathFits ? null : "The Path parameter must be a valid path, should start with a '/', and may contain up to one of each of these placeholders: '#{path}', '#{host}', '#{port}'.")) is { } path)
        {
            yield return ("Path", path);
        }

        if (Length(redirect.Query, minimum: 0) is { } query)
        {
            yield return ("Query", query);
        }

        var defaults = RedirectAction.Defaults(redirect.StatusCode);
        var sameProtocol = redirect.Protocol == defaults.Protocol || redirect.Protocol == listenerProtocol;
        if (sameProtocol && redirect.Host == defaults.Host && redirect.Port == defaults.Port && redirect.Path == defaults.Path)
        {
            yield return (string.Empty, "redirects to the same URL: change at least one of Protocol, Host, Port or Path (a redirect loop).");
        }
    }

    private static string? Length(string component, int minimum) =>
        component.Length < minimum ? "is required (1 to 128 characters)."
        : component.Length > MaxRedirectComponentLength ? $"is longer than {MaxRedirectComponentLength} characters."
        : null;

    /// <summary>The first keyword in <paramref name="component"/> that it may not use, described; null when none.</summary>
    private static string? Misplaced(string component, params string[] allowed) =>
        Keywords.Except(allowed).FirstOrDefault(k => component.Contains(k, StringComparison.Ordinal)) is { } keyword
            ? $"'{keyword}' cannot be used here; this component can reuse only {string.Join(", ", allowed)}."
            : null;

    private static int Occurrences(string text, string keyword)
    {
        var count = 0;
        for (var at = text.IndexOf(keyword, StringComparison.Ordinal); at >= 0; at = text.IndexOf(keyword, at + keyword.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
