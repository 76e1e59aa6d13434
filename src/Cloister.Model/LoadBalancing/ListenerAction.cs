using System.Text.Json.Serialization;

namespace Cloister.Model.LoadBalancing;

/// <summary>
/// What a listener or rule does with a request: forward it to its target groups (<see cref="ForwardAction"/>), or, on
/// an application load balancer, answer it itself with a fixed response or a redirect. Serialized with its kind
/// (<c>"type"</c>, as <c>Actions[].Type</c> in ELB's API) so the model written at <c>up</c> reads back whole.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ForwardAction), "forward")]
[JsonDerivedType(typeof(FixedResponseAction), "fixed-response")]
[JsonDerivedType(typeof(RedirectAction), "redirect")]
public abstract record ListenerAction;

/// <summary>A <c>fixed-response</c> action: the load balancer answers with this status, content type and body.</summary>
/// <param name="StatusCode">A 2XX, 4XX or 5XX code.</param>
/// <param name="ContentType"><c>text/plain</c>, <c>text/css</c>, <c>text/html</c>, <c>application/javascript</c> or <c>application/json</c>; none when null.</param>
/// <param name="MessageBody">Up to 1,024 characters; empty when null.</param>
public sealed record FixedResponseAction(int StatusCode, string? ContentType, string? MessageBody) : ListenerAction;

/// <summary>
/// A <c>redirect</c> action: <c>Location</c> is <c>protocol://host:port/path?query</c>, each component from the request
/// unless changed; they may use <c>#{protocol}</c>, <c>#{host}</c>, <c>#{port}</c>, <c>#{path}</c> (without its
/// leading "/") and <c>#{query}</c>.
/// </summary>
/// <param name="Protocol"><c>HTTP</c>, <c>HTTPS</c> or <c>#{protocol}</c>.</param>
/// <param name="Host">The host name.</param>
/// <param name="Port">1 to 65535, or <c>#{port}</c>.</param>
/// <param name="Path">An absolute path.</param>
/// <param name="Query">The query, without "?".</param>
/// <param name="StatusCode">301 or 302.</param>
public sealed record RedirectAction(string Protocol, string Host, string Port, string Path, string Query, int StatusCode) : ListenerAction
{
    /// <summary>The components a redirect keeps when its configuration leaves them out.</summary>
    public static RedirectAction Defaults(int statusCode) => new("#{protocol}", "#{host}", "#{port}", "/#{path}", "#{query}", statusCode);
}
