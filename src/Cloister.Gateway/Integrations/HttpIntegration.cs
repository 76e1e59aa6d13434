using System.Net.Http.Headers;
using System.Text;
using Cloister.Gateway.Responses;
using Cloister.Model.Api;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// HTTP_PROXY and HTTP integrations: the URI with stage variables and path parameters filled in, request
/// parameter mappings, the client's method, headers (proxy) and body, bounded by the integration timeout.
/// </summary>
internal sealed class HttpIntegration(HttpMessageInvoker client, TimeProvider time, ILogger logger)
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Content-Length",
    };

    public async ValueTask<IntegrationResult> InvokeAsync(IntegrationRequest request, Integration integration, string uri, TimeSpan timeout)
    {
        var proxy = integration.Type == IntegrationType.HttpProxy;
        if (BuildUri(request, integration, uri, proxy) is not { } target)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, "the integration URI is not an absolute http(s) URL");
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        using var message = new HttpRequestMessage(new HttpMethod(proxy || integration.HttpMethod is null or "ANY" ? request.State.HttpMethod : integration.HttpMethod), target);
        var body = request.Body;
        string? contentType = request.Http.Request.ContentType;
        if (!proxy && MockIntegration.SelectRequestTemplate(integration.RequestTemplates, contentType) is { } template)
        {
            var text = new StringBuilder();
            request.Catalog.Template(template).Render(text, request.State, static (s, name) => s.Resolve(name));
            body = Encoding.UTF8.GetBytes(text.ToString());
            contentType = "application/json";
        }
        else if (!proxy && integration.PassthroughBehavior == "NEVER" && integration.RequestTemplates.Count > 0)
        {
            return IntegrationResult.Failed(new GatewayError("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type", "UnsupportedMediaTypeException"));
        }

        if (!body.IsEmpty)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            {
                message.Content.Headers.ContentType = parsed;
            }
        }

        if (proxy)
        {
            foreach (var (name, values) in request.Http.Request.Headers)
            {
                if (!HopByHop.Contains(name) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }

        foreach (var (name, value) in ParameterMapping.Targets(integration.RequestParameters, "integration.request.header.", s => ParameterMapping.ResolveRequestSource(s, request)))
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, request.Http.RequestAborted);
        HttpResponseMessage response;
        byte[] responseBody;
        try
        {
            response = await client.SendAsync(message, linked.Token).ConfigureAwait(false);
            responseBody = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }
        catch (HttpRequestException exception)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, exception.HttpRequestError.ToString());
            return IntegrationResult.Failed(GatewayError.IntegrationFailure);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (proxy)
            {
                var headers = new List<KeyValuePair<string, string>>();
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    if (!HopByHop.Contains(name))
                    {
                        headers.AddRange(values.Select(v => KeyValuePair.Create(name, v)));
                    }
                }

                return IntegrationResult.Response(status, headers, responseBody);
            }

            var backendHeaders = new HttpResponseHeaders();
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                backendHeaders[name] = string.Join(',', values);
            }

            return IntegrationResponses.Build(request, integration.Responses, status, backendHeaders, responseBody, response.Content.Headers.ContentType?.ToString());
        }
    }

    private static Uri? BuildUri(IntegrationRequest request, Integration integration, string uri, bool proxy)
    {
        var pathMappings = ParameterMapping.Targets(integration.RequestParameters, "integration.request.path.", s => ParameterMapping.ResolveRequestSource(s, request))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var filled = new StringBuilder(uri.Length + 32);
        var i = 0;
        while (i < uri.Length)
        {
            var close = uri[i] == '{' ? uri.IndexOf('}', i) : -1;
            if (close < 0)
            {
                filled.Append(uri[i]);
                i++;
                continue;
            }

            var name = uri[(i + 1)..close].TrimEnd('+');
            // A placeholder with no mapping takes the method's path parameter of the same name (see docs/gateway.md).
            var value = pathMappings.GetValueOrDefault(name) ?? request.Route.PathParameters.GetValueOrDefault(name) ?? string.Empty;
            filled.Append(string.Join('/', value.Split('/').Select(Uri.EscapeDataString)));
            i = close + 1;
        }

        var query = new List<string>();
        if (proxy)
        {
            foreach (var (name, values) in request.Http.Request.Query)
            {
                query.AddRange(values.Select(v => Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(v ?? string.Empty)));
            }
        }

        foreach (var (name, value) in ParameterMapping.Targets(integration.RequestParameters, "integration.request.querystring.", s => ParameterMapping.ResolveRequestSource(s, request)))
        {
            query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        }

        if (query.Count > 0)
        {
            filled.Append(filled.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?').AppendJoin('&', query);
        }

        return Uri.TryCreate(filled.ToString(), UriKind.Absolute, out var result) && (result.Scheme == Uri.UriSchemeHttp || result.Scheme == Uri.UriSchemeHttps)
            ? result
            : null;
    }
}
