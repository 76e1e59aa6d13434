using System.Text;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Templates;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Responses;

/// <summary>
/// The one place a <see cref="GatewayError"/> becomes a response: the API's override for the type, else
/// its <c>DEFAULT_4XX</c>/<c>DEFAULT_5XX</c> override, else AWS's default body word for word.
/// </summary>
internal static class GatewayResponseWriter
{
    private static readonly CompiledTemplate DefaultTemplate = CompiledTemplate.Parse("{\"message\":$context.error.messageString}");

    /// <summary>Status, body and headers of <paramref name="error"/>; header mappings read <paramref name="request"/> (none when null).</summary>
    public static (int Status, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers) Render(GatewayError error, RequestState state, HttpRequest? request = null)
    {
        state.ErrorMessage = error.Message;
        state.ErrorResponseType = error.ResponseType;
        var overrides = state.Stage?.GatewayResponses;
        CompiledGatewayResponse? custom = null;
        if (overrides is { Count: > 0 } && error.Customizable
            && !overrides.TryGetValue(error.ResponseType, out custom))
        {
            overrides.TryGetValue(error.IsServerError ? "DEFAULT_5XX" : "DEFAULT_4XX", out custom);
        }

        var headers = new List<KeyValuePair<string, string>>(4) { new("Content-Type", custom?.ContentType ?? "application/json") };
        if (error.ErrorType is not null)
        {
            headers.Add(new("x-amzn-ErrorType", error.ErrorType));
        }

        if (custom is null)
        {
            return (error.StatusCode, DefaultBody(error), headers);
        }

        foreach (var (name, source) in custom.Headers)
        {
            // Resolved per request: 'static', method.request.header|path|querystring.X, stageVariables.X, context.X.
            if (ParameterMapping.ResolveMethodRequestSource(source, request, state) is { } value)
            {
                headers.Add(new(name, value));
            }
        }

        var body = new StringBuilder();
        (custom.Template ?? DefaultTemplate).Render(body, state, static (s, name) => s.Resolve(name));
        return (custom.StatusCode ?? error.StatusCode, Encoding.UTF8.GetBytes(body.ToString()), headers);
    }

    public static async ValueTask WriteAsync(HttpContext context, GatewayError error, RequestState state)
    {
        var (status, body, headers) = Render(error, state, context.Request);
        var response = context.Response;
        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        state.Status = status;
        if (status is 204 or 205 or 304)
        {
            // An override may give a type one of these statuses (204 for a CORS preflight to an unknown route): they carry
            // no content (RFC 9110), and Kestrel refuses to write any, which made the answer a 500.
            state.ResponseLength = 0;
            return;
        }

        response.ContentLength = body.Length;
        state.ResponseLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>AWS's default body of <paramref name="error"/>, word for word.</summary>
    public static byte[] DefaultBody(GatewayError error)
    {
        var key = error.ResponseType == "ACCESS_DENIED" ? "Message" : "message";
        var separator = error.SpacedBody ? ": " : ":";
        return Encoding.UTF8.GetBytes($"{{\"{key}\"{separator}{(error.Message is null ? "null" : JsonText.Quote(error.Message))}}}");
    }
}
