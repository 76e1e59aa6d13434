using System.Buffers;
using System.Text;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Hosting;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Pipeline.AccessControl;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Routing;
using Cloister.Gateway.Signing;
using Cloister.Gateway.Validation;
using Cloister.Model.Api;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// The request path: invocation form -> API -> stage -> resource and method -> resource and endpoint
/// policies -> integration -> response, and the access log line. Every refusal is a <see cref="GatewayError"/>
/// rendered by <see cref="GatewayResponseWriter"/>.
/// </summary>
internal sealed partial class RequestHandler
{
    /// <summary>
    /// Header bytes allowed in total: the REST API quotas table gives private APIs "Total combined size of all header
    /// values for a private API: 8000 Bytes" (other APIs 10,240), counted as its general row counts them, "including
    /// header names, values, any line terminators, and white space".
    /// </summary>
    public const int MaxHeaderBytes = 8_000;

    /// <summary>The REST API quotas table's "Length, in characters, of the URL for a private API": 8,192; longer gives 414.</summary>
    public const int MaxUrlLength = 8_192;

    private const string TraceHeader = "X-Amzn-Trace-Id";

    /// <summary>Method ARN limit (spec §3); longer gives 414.</summary>
    public const int MaxMethodArnBytes = 1_600;

    /// <summary>Response bodies up to this size are buffered with the headers and flushed once by Kestrel; larger ones are written (and flushed) as they are.</summary>
    private const int BufferedBodyBytes = 16 * 1024;

    private static readonly byte[] TooLargeBody = Encoding.ASCII.GetBytes($"HTTP content length exceeded {RequestBody.MaxLength} bytes.");

    private readonly TimeProvider _time;
    private readonly LambdaIntegration _lambda;
    private readonly HttpIntegration _http;
    private readonly AccessLogWriter _accessLogs;
    private readonly ILogger _logger;
    private GatewayCatalog _catalog;
    private int _inFlight;

    public RequestHandler(GatewayCatalog catalog, TimeProvider time, LambdaIntegration lambda, HttpIntegration http, AccessLogWriter accessLogs, ILogger logger)
    {
        _catalog = catalog;
        _time = time;
        _lambda = lambda;
        _http = http;
        _accessLogs = accessLogs;
        _logger = logger;
    }

    /// <summary>Authentication, authorization, API keys and throttling (Pipeline/AccessControl).</summary>
    public required AccessController Access { get; init; }

    public GatewayCatalog Catalog => Volatile.Read(ref _catalog);

    /// <summary>Serves later requests from <paramref name="catalog"/>; requests under way finish on the old one.</summary>
    public void Swap(GatewayCatalog catalog) => Volatile.Write(ref _catalog, catalog);

    /// <summary>Requests between their start and their access log line (a client may have its answer before the line is queued).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task HandleAsync(HttpContext context)
    {
        var catalog = Catalog;

        // Counted only when a stage of this version can write an access log line (FlushAccessLogsAsync waits for those).
        var counted = catalog.HasRequestLogs;
        if (counted)
        {
            Interlocked.Increment(ref _inFlight);
        }

        var listener = context.Features.Get<EndpointConnectionFeature>()?.Listener;
        var request = context.Request;
        var (requestId, extendedRequestId) = RequestIds.Next();
        var state = new RequestState
        {
            RequestId = RequestIds.FromClient(request.Headers, requestId, out var loggedRequestId) ?? requestId,
            ExtendedRequestId = extendedRequestId,
            LoggedRequestId = loggedRequestId,
            RequestTime = _time.GetUtcNow(),
            StartTimestamp = _time.GetTimestamp(),
            AccountId = catalog.Account.AccountId,
            HttpMethod = request.Method,
            Protocol = request.Protocol,
            SourceIp = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
            VpceId = listener?.VpcEndpointId ?? string.Empty,
            VpcId = listener?.VpcId ?? string.Empty,
            Regional = listener?.IsRegional ?? false,
            UserAgent = request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null,
            Tls = context.Features.Get<ITlsHandshakeFeature>(),
        };
        SetRequestIds(context.Response, state);
        try
        {
            await ProcessAsync(context, catalog, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            // The client's request broke off while its body was read (fewer bytes than its Content-Length, a chunk
            // cut short, a body too slow for Kestrel's minimum rate): the client's fault, not the gateway's.
            Log.BadRequestBody(_logger, state.RequestId, exception.Message);
            context.Response.Clear();
            SetRequestIds(context.Response, state);
            await GatewayResponseWriter.WriteAsync(context, GatewayError.BrokenRequest(exception.StatusCode), state).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            Log.Unexpected(_logger, state.RequestId, exception);

            // Whatever the failed response had set (a backend's Set-Cookie...) must not go out with the error.
            context.Response.Clear();
            SetRequestIds(context.Response, state);
            await GatewayResponseWriter.WriteAsync(context, GatewayError.ConfigurationError, state).ConfigureAwait(false);
        }
        finally
        {
            if (state.Execution is { } trace)
            {
                LogCompleted(trace, state);
            }

            WriteAccessLog(state);
            if (counted)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static void SetRequestIds(HttpResponse response, RequestState state)
    {
        response.Headers["x-amzn-RequestId"] = state.RequestId;
        response.Headers["x-amz-apigw-id"] = state.ExtendedRequestId;
    }

    private async Task ProcessAsync(HttpContext context, GatewayCatalog catalog, RequestState state)
    {
        var request = context.Request;
        if (request.ContentLength > RequestBody.MaxLength)
        {
            await WriteTooLargeAsync(context, state).ConfigureAwait(false);
            return;
        }

        if (HeaderBytes(request.Headers) > MaxHeaderBytes)
        {
            await RejectAsync(context, GatewayError.HeadersTooLarge, state).ConfigureAwait(false);
            return;
        }

        if (RequestTarget.UrlLength(context) > MaxUrlLength)
        {
            await RejectAsync(context, GatewayError.UriTooLong, state).ConfigureAwait(false);
            return;
        }

        QueryParameters.Attach(request);

        var error = Route(context, catalog, state);
        if (error is not null)
        {
            await RejectAsync(context, ReferenceEquals(error, GatewayError.MissingAuthenticationToken) ? MissingMethod(request) : error, state).ConfigureAwait(false);
            return;
        }

        var stage = state.Stage!;
        var route = state.Route!;
        StartExecutionLog(state);
        var methodArn = route.MethodArns?.GetValueOrDefault(state.HttpMethod) ?? string.Concat(stage.MethodArnPrefix, state.HttpMethod, "/", state.Path.AsSpan().Trim('/'));
        if (Encoding.UTF8.GetByteCount(methodArn) > MaxMethodArnBytes)
        {
            await RejectAsync(context, GatewayError.UriTooLong, state).ConfigureAwait(false);
            return;
        }

        using var body = await RequestBody.ReadAsync(request).ConfigureAwait(false);
        if (body.TooLarge)
        {
            await WriteTooLargeAsync(context, state).ConfigureAwait(false);
            return;
        }

        var denied = await Access.AuthorizeAsync(context, catalog, state, methodArn, body.Memory).ConfigureAwait(false);
        if (state.Execution is { } trace)
        {
            LogAccessDecided(trace, request, state, denied);
            if (denied is null && trace.Data is { } data)
            {
                LogRequestBody(data, body.Memory);
            }
        }

        if (denied is not null)
        {
            await RejectAsync(context, denied, state).ConfigureAwait(false);
            return;
        }

        // As on AWS, after authorization, API keys and throttling, and before the integration.
        if (RequestValidation.Validate(stage, route, request, body.Memory, state) is { } invalid)
        {
            Log.ValidationFailed(_logger, state.RequestId, state.ValidationErrorString);
            state.Execution?.Info?.Write(state.ValidationErrorString is ['[', ..] errors
                ? $"Request body does not match model schema for content type {request.ContentType}: {errors}"
                : state.ValidationErrorString ?? "Request validation failed");
            await RejectAsync(context, invalid, state).ConfigureAwait(false);
            return;
        }

        // A SigV4 Authorization (or any, for AWS_IAM) is not passed to integrations; authorizers have seen it.
        ProxyHeaders.DropSignature(request.Headers, route.Method.AuthorizationType);
        if (state.Execution?.Info is { } info)
        {
            LogIntegrationStart(info, route.Method, state);
        }

        var integrationStart = _time.GetTimestamp();
        var result = await IntegrateAsync(new IntegrationRequest(context, state, route, body.Memory, catalog)).ConfigureAwait(false);
        state.IntegrationLatencyMs = (long)_time.GetElapsedTime(integrationStart).TotalMilliseconds;
        state.IntegrationStatus = result.BackendStatus;
        state.IntegrationServiceStatus = route.Method.Integration?.Type is IntegrationType.Aws or IntegrationType.AwsProxy
            ? LambdaServiceStatus(result)
            : result.BackendStatus;
        if (state.Execution is { } execution)
        {
            LogIntegrationEnd(execution, route.Method, result, state);
        }

        if (result.Error is not null)
        {
            await RejectAsync(context, result.Error, state).ConfigureAwait(false);
            return;
        }

        await WriteResultAsync(context, result, state).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>$context.integrationStatus</c> of a Lambda integration, Lambda's own status: 200 when the function ran (a function
    /// error or malformed answer included), 413 when Lambda refused the event as too large, none when it never answered.
    /// </summary>
    private static int? LambdaServiceStatus(IntegrationResult result) =>
        result.Error is null || result.Error == GatewayError.LambdaFunctionError || result.Error == GatewayError.LambdaFailure || result.BackendStatus is not null
            ? StatusCodes.Status200OK
            : result.Error == GatewayError.LambdaRequestTooLarge ? StatusCodes.Status413PayloadTooLarge : null;

    /// <summary>Finds the API, stage, resource and method; null when found, else the refusal.</summary>
    private static GatewayError? Route(HttpContext context, GatewayCatalog catalog, RequestState state)
    {
        var request = context.Request;
        // The x-apigw-api-id header names a private API through an endpoint; the Region's front end routes by Host alone.
        var apiIdHeader = state.Regional ? string.Empty : request.Headers["x-apigw-api-id"].ToString();
        var (path, pathLength) = RequestTarget.Path(context);
        if (apiIdHeader.Length == 0 && catalog.Domains.Count > 0
            && DomainRouter.TryRoute(catalog, state, request.Host.Value ?? string.Empty, SegmentList(path[..pathLength]), out var domainError))
        {
            return domainError;
        }

        // The API id, stage and path segments are read as spans: no string per request for a literal route. Through an
        // endpoint only private APIs answer; at the Region's front end only public (REGIONAL, EDGE) ones do, by their
        // default name, and an {api-id}-{vpce-id} name or an unknown id is 403 there (docs/gateway.md, "Default
        // execute-api names of public APIs"). An API whose default endpoint is disabled answers none of them: 403, as AWS
        // answers a client that still connects to it ("Disable the default endpoint for REST APIs").
        if (!catalog.Targets.TryRead(apiIdHeader, request.Host.Value, out var target)
            || !catalog.ApisById.TryGetValue(target.ApiId, out var api) || (api.EndpointType == EndpointType.Private) == state.Regional
            || api.DefaultEndpointDisabled)
        {
            return GatewayError.Forbidden;
        }

        if (!target.NamedVpcEndpointId.IsEmpty
            && (state.Regional || !target.NamedVpcEndpointId.SequenceEqual(state.VpceId) || !api.VpcEndpointIds.Contains(state.VpceId)))
        {
            return GatewayError.Forbidden;
        }

        state.ApiId = api.Id;
        state.DomainName = target.DomainName;
        var maxSegments = PathSegments.MaxCount(path.AsSpan(0, pathLength));
        var segments = maxSegments <= 32 ? stackalloc Range[maxSegments] : new Range[maxSegments];
        segments = segments[..PathSegments.Split(path.AsSpan(0, pathLength), segments)];
        // No first segment is no stage, which AWS answers as a stage that does not exist: 403 Forbidden for the default
        // name's root (berislavlopac/plambdapi#6), not Missing Authentication Token.
        if (segments.IsEmpty)
        {
            return GatewayError.Forbidden;
        }

        if (!api.StagesByName.TryGetValue(path.AsSpan()[segments[0]], out var stage))
        {
            return GatewayError.Forbidden;
        }

        state.Stage = stage;
        state.Route = stage.Tree.Match(path, segments[1..], state.HttpMethod);
        if (segments.Length == 1)
        {
            state.Path = "/";
            return state.Route is null ? GatewayError.MissingAuthenticationToken : null;
        }

        // As sent from the slash before the first segment after the stage: slashes doubled after the stage collapse,
        // doubled ones further on and a trailing one stay, escapes stay (LocalStack's AWS-validated proxy snapshot).
        var start = segments[1].Start.Value - 1;
        var sent = path.AsSpan(start, pathLength - start);
        state.Path = state.Route?.LiteralPath is { } literal && sent.SequenceEqual(literal) ? literal : sent.ToString();
        state.SetStagePathAsSent(path, segments[0].Start.Value - 1, pathLength);
        return state.Route is null ? GatewayError.MissingAuthenticationToken : null;
    }

    private ValueTask<IntegrationResult> IntegrateAsync(IntegrationRequest request)
    {
        var integration = request.Route.Method.Integration;
        if (integration is null)
        {
            return ValueTask.FromResult(IntegrationResult.Failed(GatewayError.ConfigurationError));
        }

        if (integration.RequestParameters.Count > 0 && ProxyHeaders.RefusedMapping(integration) is { } refused)
        {
            Log.IntegrationFailed(_logger, request.State.RequestId, $"Execution failed due to configuration error: {refused} header already present");
            return ValueTask.FromResult(IntegrationResult.Failed(GatewayError.ConfigurationError));
        }

        var timeout = TimeSpan.FromMilliseconds(integration.TimeoutInMillis is >= 50 and <= Integration.DefaultTimeoutInMillis
            ? integration.TimeoutInMillis
            : Integration.DefaultTimeoutInMillis);
        var uri = StageVariables.Substitute(integration.Uri ?? string.Empty, request.Stage.Variables);
        return integration.Type switch
        {
            IntegrationType.AwsProxy => _lambda.InvokeAsync(request, uri, timeout),
            IntegrationType.Aws => _lambda.InvokeAwsAsync(request, integration, uri, timeout),
            IntegrationType.Mock => ValueTask.FromResult(MockIntegration.Invoke(request, _logger)),
            IntegrationType.Http or IntegrationType.HttpProxy => _http.InvokeAsync(request, integration, uri, timeout),
            _ => ValueTask.FromResult(IntegrationResult.Failed(GatewayError.ConfigurationError)),
        };
    }

    private static ValueTask WriteResultAsync(HttpContext context, IntegrationResult result, RequestState state)
    {
        var response = context.Response;
        response.StatusCode = result.StatusCode;
        // By index: a foreach over the IReadOnlyList would box its enumerator on every request.
        var headers = result.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }

        // The integration's answer (not a gateway error, not HTTP_PROXY's, whose backend headers pass as they are) carries
        // the request's trace header, as AWS's do (LocalStack's AWS-validated response handler); a header the function or
        // a mapping set is kept.
        if (state.Route?.Method.Integration?.Type is not IntegrationType.HttpProxy && !response.Headers.ContainsKey(TraceHeader))
        {
            response.Headers[TraceHeader] = state.ResponseTraceHeader(context.Request.Headers);
        }

        state.Status = result.StatusCode;
        // 204, 205 and 304 have no content (RFC 9110 15.3.5, 15.3.6, 15.4.5): a body the integration gave them is not
        // sent. Kestrel refuses to write one and answers 205 with Content-Length: 0 itself, so a length set here broke the
        // connection.
        if (result.StatusCode is 204 or 205 or 304 || result.StatusCode < 200)
        {
            state.ResponseLength = 0;
            return ValueTask.CompletedTask;
        }

        state.ResponseLength = result.Body.Length;

        response.ContentLength = result.Body.Length;
        if (result.Body.IsEmpty || HttpMethods.IsHead(state.HttpMethod))
        {
            return ValueTask.CompletedTask;
        }

        if (result.Body.Length <= BufferedBodyBytes)
        {
            // Into Kestrel's output buffer behind the headers, no flush: Kestrel sends both in one flush when the request ends.
            response.BodyWriter.Write(result.Body.Span);
            return ValueTask.CompletedTask;
        }

        return response.Body.WriteAsync(result.Body, context.RequestAborted);
    }

    /// <summary>
    /// No resource or method matched. With an <c>Authorization</c> header that is no complete SigV4 signature, API Gateway
    /// answers the header's SigV4 parse error (403 <c>IncompleteSignatureException</c>, "... not a valid key=value pair
    /// (missing equal-sign) in Authorization header ...") rather than Missing Authentication Token, as reported for
    /// routes that do not exist (HumanCellAtlas/data-store#328; aws-cognito-angular-quickstart#50: "That error will
    /// return for any invalid endpoints", and overriding the Missing Authentication Token response changes it).
    /// </summary>
    private static GatewayError MissingMethod(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { Length: > 0 } authorization && SigV4Verifier.HeaderProblem(request, authorization) is { } problem
            ? AccessErrors.IncompleteSignatureOfMissingMethod(problem)
            : GatewayError.MissingAuthenticationToken;

    private ValueTask RejectAsync(HttpContext context, GatewayError error, RequestState state)
    {
        Log.Rejected(_logger, state.RequestId, error.ResponseType, error.StatusCode);
        return GatewayResponseWriter.WriteAsync(context, error, state);
    }

    private static async ValueTask WriteTooLargeAsync(HttpContext context, RequestState state)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // The media type AWS sends with it, as observed (koki-develop/lgtm-generator#10): not JSON, and not text/plain.
        response.ContentType = "text; charset=utf-8";
        response.ContentLength = TooLargeBody.Length;
        state.Status = StatusCodes.Status413PayloadTooLarge;
        state.ResponseLength = TooLargeBody.Length;
        state.ErrorMessage = Encoding.ASCII.GetString(TooLargeBody);
        state.ErrorResponseType = "REQUEST_TOO_LARGE";
        // The body was not read; the connection cannot be reused.
        response.Headers.Connection = "close";
        await response.Body.WriteAsync(TooLargeBody, context.RequestAborted).ConfigureAwait(false);
    }

    private void WriteAccessLog(RequestState state)
    {
        if (state.Stage?.AccessLog is not { } log)
        {
            return;
        }

        state.ElapsedMilliseconds = _time.GetElapsedTime(state.StartTimestamp).TotalMilliseconds;
        var line = new StringBuilder(256);
        // As on AWS, every $context variable writes its value or "-", even one the gateway does not know.
        log.Format.Render(line, state, static (s, name) => s.LoggedRequestId is { } replaced && name == "context.requestId"
            ? (true, replaced)
            : s.Resolve(name) is (var known, var value) && (known || name.StartsWith("context.", StringComparison.Ordinal))
                ? (true, value ?? "-")
                : (false, null));
        _accessLogs.Enqueue(log.FilePath, line.ToString());
    }

    private static List<string> SegmentList(string path) => [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The header lines as sent: each value with its name, <c>": "</c> and CRLF (a repeated header is one line per value).</summary>
    private static int HeaderBytes(IHeaderDictionary headers)
    {
        var total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                total += name.Length + 4 + (value?.Length ?? 0);
            }
        }

        return total;
    }
}
