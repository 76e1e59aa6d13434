using System.Globalization;
using System.Text;
using Cloister.Model.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Network.LoadBalancing;

/// <summary>An application load balancer's own answers to a request: its fixed responses and its redirects.</summary>
internal static class ApplicationAnswers
{
    public static Task WriteAsync(HttpContext context, ListenerPlan listener, ListenerAction action) => action switch
    {
        FixedResponseAction fixedResponse => ApplicationErrors.WriteOwnAsync(
            context, fixedResponse.StatusCode, fixedResponse.ContentType, Encoding.UTF8.GetBytes(fixedResponse.MessageBody ?? string.Empty)),
        RedirectAction redirect => ApplicationErrors.WriteAsync(context, redirect.StatusCode, Location(redirect, listener, context)),
        _ => ApplicationErrors.WriteAsync(context, 503),
    };

    /// <summary>
    /// The redirect's <c>Location</c>, <c>protocol://host:port/path?query</c> as ELB writes it (the port always
    /// present), with each component's <c>#{...}</c> keywords replaced by the request's values: the listener's
    /// protocol and port, the Host header without its port, the path as sent (escapes and dot segments as written) less
    /// its one leading "/" (ELB: "the leading '/' is removed"; a path of "//x" keeps "/x"), the query without "?".
    /// </summary>
    public static string Location(RedirectAction redirect, string listenerProtocol, int listenerPort, string host, string rawTarget)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        var port = listenerPort.ToString(CultureInfo.InvariantCulture);
        var protocol = listenerProtocol.ToLowerInvariant();
        string Fill(string component) => component
            .Replace("#{protocol}", protocol, StringComparison.Ordinal)
            .Replace("#{host}", host, StringComparison.Ordinal)
            .Replace("#{port}", port, StringComparison.Ordinal)
            .Replace("#{path}", path.StartsWith('/') ? path[1..] : path, StringComparison.Ordinal)
            .Replace("#{query}", query, StringComparison.Ordinal);
        var location = new StringBuilder()
            .Append(Fill(redirect.Protocol).ToLowerInvariant()).Append("://")
            .Append(Fill(redirect.Host)).Append(':').Append(Fill(redirect.Port))
            .Append(Fill(redirect.Path));
        var filledQuery = Fill(redirect.Query);
        if (filledQuery.Length > 0)
        {
            location.Append('?').Append(filledQuery);
        }

        return location.ToString();
    }

    private static string Location(RedirectAction redirect, ListenerPlan listener, HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Host is { Length: > 0 } name ? name : context.Connection.LocalIpAddress?.ToString() ?? listener.Balancer.DnsName;
        return Location(redirect, listener.Listener.Protocol, listener.Listener.Port, host, RequestTarget.Of(context));
    }
}
