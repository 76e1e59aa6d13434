using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Templates.Velocity;
using Cloister.Gateway.VpcLinks;
using Cloister.Model.Api;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Integrations;

/// <summary>
/// HTTP_PROXY and HTTP integrations: the URI with stage variables and path parameters filled in, request
/// parameter mappings, the client's method, headers (proxy) and body, bounded by the integration timeout.
/// </summary>
internal sealed class HttpIntegration(HttpMessageInvoker defaultClient, VpcLinkClients vpcLinks, TimeProvider time, ILogger logger)
{
    private const string TraceHeader = "X-Amzn-Trace-Id";
    private const string ApiIdHeader = "X-Amzn-Apigateway-Api-Id";
    private const string QueryTarget = "integration.request.querystring.";

    public async ValueTask<IntegrationResult> InvokeAsync(IntegrationRequest request, Integration integration, string uri, TimeSpan timeout)
    {
        var proxy = integration.Type == IntegrationType.HttpProxy;
        var overrides = new ContextOverrides();
        var body = request.Body;
        string? contentType = request.Http.Request.ContentType;
        if (!proxy)
        {
            GatewayError? mappingError;
            (body, contentType, mappingError) = RequestMapping.Map(request, integration, overrides, logger);
            if (mappingError is not null)
            {
                return IntegrationResult.Failed(mappingError);
            }
        }

        if (BuildUri(request, integration, uri, proxy, overrides) is not { } target)
        {
            Log.IntegrationFailed(logger, request.State.RequestId, "the integration URI is not an absolute http(s) URL");
            return IntegrationResult.Failed(GatewayError.ConfigurationError);
        }

        var client = defaultClient;
        if (string.Equals(integration.ConnectionType, "VPC_LINK", StringComparison.Ordinal))
        {
            var connectionId = StageVariables.Substitute(integration.ConnectionId ?? string.Empty, request.Stage.Variables);
            if (!request.Catalog.VpcLinks.TryGetValue(connectionId, out var link) || vpcLinks.For(link) is not { } viaLink)
            {
                // API Gateway answers a missing VPC link with a configuration error (500).
                Log.UnknownVpcLink(logger, request.State.RequestId, connectionId);
                return IntegrationResult.Failed(GatewayError.ConfigurationError);
            }

            client = viaLink;
        }

        // The integration's httpMethod is the backend's, for HTTP_PROXY too; ANY (or none) passes the client's on.
        using var message = new HttpRequestMessage(new HttpMethod(integration.HttpMethod is null or "ANY" ? request.State.HttpMethod : integration.HttpMethod), target);
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
                if (ProxyHeaders.DroppedFromHttpProxy(name))
                {
                    continue;
                }

                if (!IsContentHeader(name))
                {
                    message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
                else if (message.Content is not null && !string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    // Content-Encoding, -Language, -Disposition, -MD5...: they describe the body, which goes through as is.
                    message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            // As a backend behind HTTP_PROXY receives them from AWS (ustayready/fireprox#12, #39): the client's address
            // appended to its X-Forwarded-For, and the port and scheme it really used in place of any it claimed.
            message.Headers.Remove("X-Forwarded-For");
            message.Headers.Remove("X-Forwarded-Port");
            message.Headers.Remove("X-Forwarded-Proto");
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", ProxyHeaders.ForwardedFor(request.Http.Request.Headers, request.State.SourceIp));
            message.Headers.TryAddWithoutValidation("X-Forwarded-Port", ProxyHeaders.ForwardedPort);
            message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", ProxyHeaders.ForwardedProto);
        }

        // API Gateway's own request headers (LocalStack's AWS-validated snapshot test_apigateway_header_remapping_http):
        // Accept and User-Agent when the request has none (a mapping replaces them), and the API's id, always.
        if (!message.Headers.Contains("Accept"))
        {
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
        }

        if (!message.Headers.Contains("User-Agent"))
        {
            message.Headers.TryAddWithoutValidation("User-Agent", "AmazonAPIGateway_" + request.State.ApiId);
        }

        var headerMappings = ParameterMapping.Targets(integration.RequestParameters, "integration.request.header.", s => ParameterMapping.ResolveRequestSource(s, request));
        foreach (var (name, value) in headerMappings.Concat(overrides.RequestHeaders))
        {
            if (!ProxyHeaders.DroppedFromHttpMapping(name))
            {
                SetHeader(message, name, value);
            }
        }

        message.Headers.Remove(ApiIdHeader);
        message.Headers.TryAddWithoutValidation(ApiIdHeader, request.State.ApiId);

        if (!message.Headers.Contains(TraceHeader))
        {
            // X-Ray: API Gateway adds a tracing header to requests that come without one, and passes it to HTTP backends.
            message.Headers.TryAddWithoutValidation(TraceHeader, request.State.TraceHeaderFor(request.Http.Request.Headers));
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, request.Http.RequestAborted);
        HttpResponseMessage? response = null;
        byte[]? responseBody;
        try
        {
            response = await client.SendAsync(message, linked.Token).ConfigureAwait(false);
            responseBody = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            response?.Dispose();
            return IntegrationResult.Failed(GatewayError.IntegrationTimeout);
        }
        catch (HttpRequestException exception)
        {
            response?.Dispose();
            Log.IntegrationFailed(logger, request.State.RequestId, exception.HttpRequestError.ToString());
            return IntegrationResult.Failed(GatewayError.IntegrationFailure);
        }
        catch (IOException exception)
        {
            // The backend's connection broke while its body was read.
            response?.Dispose();
            Log.IntegrationFailed(logger, request.State.RequestId, exception.GetType().Name);
            return IntegrationResult.Failed(GatewayError.IntegrationFailure);
        }

        using (response)
        {
            if (responseBody is null)
            {
                // AWS: "Execution failed due to configuration error: Integration response of reported length ... is
                // larger than allowed maximum of 10485760 bytes", and the client gets 500 Internal server error.
                Log.IntegrationFailed(logger, request.State.RequestId, $"the integration response is larger than allowed maximum of {RequestBody.MaxLength} bytes");
                return IntegrationResult.Failed(GatewayError.ConfigurationError);
            }

            var status = (int)response.StatusCode;
            if (proxy)
            {
                var headers = new List<KeyValuePair<string, string>>();
                foreach (var (name, values) in BackendHeaders(response))
                {
                    headers.AddRange(values.Select(v => KeyValuePair.Create(name, v)));
                }

                return IntegrationResult.Response(status, ProxyHeaders.RemapResponse(headers), responseBody);
            }

            var backendHeaders = new HttpResponseHeaders();
            foreach (var (name, values) in BackendHeaders(response))
            {
                backendHeaders[name] = backendHeaders.TryGetValue(name, out var earlier) ? [.. earlier, .. values] : [.. values];
            }

            return IntegrationResponses.Build(
                request,
                integration.Responses,
                status.ToString(CultureInfo.InvariantCulture),
                status,
                backendHeaders,
                responseBody,
                response.Content.Headers.ContentType?.ToString(),
                logger);
        }
    }

    /// <summary>
    /// The backend's body, read through pooled buffers and stopped past API Gateway's 10 MB payload limit (a
    /// <c>Content-Length</c> over it is refused unread); null when it is too large.
    /// </summary>
    private static async ValueTask<byte[]?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // RequestBody refuses a declared length over the limit before reading a byte.
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var body = await RequestBody.ReadAsync(stream, content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);

        // The result outlives the pooled buffer: one copy of exactly the body's size.
        return body.TooLarge ? null : body.Memory.ToArray();
    }

    /// <summary>
    /// Sets a mapped header, replacing the client's. .NET keeps the body's headers (<c>Content-*</c>, <c>Allow</c>,
    /// <c>Expires</c>, <c>Last-Modified</c>) on the content, and throws when they are put on the request: such a
    /// header goes on the content, an empty one when there is no body. <c>Content-Length</c> is the body's own.
    /// </summary>
    private static void SetHeader(HttpRequestMessage message, string name, string value)
    {
        if (!IsContentHeader(name))
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
            return;
        }

        if (ProxyHeaders.IsHopByHop(name))
        {
            return;
        }

        message.Content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
        message.Content.Headers.Remove(name);
        message.Content.Headers.TryAddWithoutValidation(name, value);
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Allow", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Expires", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase);

    private static Uri? BuildUri(IntegrationRequest request, Integration integration, string uri, bool proxy, ContextOverrides overrides)
    {
        var pathMappings = ParameterMapping.Targets(integration.RequestParameters, "integration.request.path.", s => ParameterMapping.ResolveRequestSource(s, request))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, value) in overrides.RequestPath)
        {
            pathMappings[name] = value;
        }

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
            var value = pathMappings.GetValueOrDefault(name) ?? request.Route.DecodedPathParameters.GetValueOrDefault(name) ?? string.Empty;
            BackendPathEncoding.Append(filled, value);
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

        // A mapped parameter is added beside the client's of the same name (HTTP_PROXY), as AWS does; a multi-value source
        // sends each of its values.
        foreach (var (name, values) in ParameterMapping.Targets(integration.RequestParameters, QueryTarget, s => ParameterMapping.ResolveQueryValues(s, request)))
        {
            query.AddRange(values.Select(v => Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(v)));
        }

        foreach (var (name, value) in overrides.RequestQuery)
        {
            query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        }

        if (query.Count > 0)
        {
            filled.Append(filled.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?').AppendJoin('&', query);
        }

        var text = filled.ToString();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var result) || (result.Scheme != Uri.UriSchemeHttp && result.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // A path value of . or .. (a {proxy} sent as ..%2Fadmin) is written into the path as it is, and .NET's Uri
        // would remove it as a dot segment. The backend gets the path as substituted (see docs/gateway.md): the target
        // goes uncanonicalised when it is already all printable ASCII without \ or #, as a value escaped by
        // BackendPathEncoding is (a configured URI holding others is still canonicalised as before).
        return !text.AsSpan().ContainsAnyExceptInRange('\u0021', '\u007e') && text.AsSpan().IndexOfAny('\\', '#') < 0
            && Uri.TryCreate(text, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }, out var asIs)
                ? asIs
                : result;
    }

    /// <summary>
    /// The backend's header lines as received: one value per line, never re-split at the spaces or commas the
    /// typed parsers see in a value such as <c>Server: SimpleHTTP/0.6 Python/3.11.2</c>.
    /// </summary>
    private static IEnumerable<(string Name, IEnumerable<string> Values)> BackendHeaders(HttpResponseMessage response)
    {
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            yield return (name, values);
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            yield return (name, values);
        }
    }
}
