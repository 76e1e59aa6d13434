using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// A client of the Lambda Runtime API (2018-06-01) at <c>AWS_LAMBDA_RUNTIME_API</c>: it keeps one connection
/// open, long-polls for the next invocation and posts responses and errors.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _baseAddress;
    private readonly Uri _nextUri;
    private readonly Uri _initErrorUri;
    private readonly TimeProvider _timeProvider;

    /// <summary>A client of the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>).</summary>
    public RuntimeApiClient(string runtimeApi, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _baseAddress = $"http://{runtimeApi}/2018-06-01/runtime/";
        _nextUri = new Uri(_baseAddress + "invocation/next");
        _initErrorUri = new Uri(_baseAddress + "init/error");
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    /// <summary>A client of the Runtime API named by <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    /// <exception cref="InvalidOperationException">When the variable is not set (not running as a function).</exception>
    public static RuntimeApiClient FromEnvironment(TimeProvider? timeProvider = null)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(api))
        {
            throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set: this program runs as a Lambda function.");
        }

        return new RuntimeApiClient(api, timeProvider);
    }

    /// <summary>Waits for the next invocation (<c>GET /runtime/invocation/next</c>).</summary>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(_nextUri, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + 3000;
        var traceId = Header(headers, "Lambda-Runtime-Trace-Id");
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", traceId);
        var context = new LambdaContext(
            _timeProvider,
            requestId,
            deadline,
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            traceId,
            Header(headers, "Lambda-Runtime-Client-Context"),
            Header(headers, "Lambda-Runtime-Cognito-Identity"));
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new LambdaInvocation(payload, context);
    }

    /// <summary>Posts the invocation's response (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    /// <exception cref="HttpRequestException">When the Runtime API refuses it, such as 413 for a response over 6 MB.</exception>
    public async Task RespondAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken = default)
    {
        using var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = JsonMediaType;
        using var result = await _http.PostAsync(new Uri($"{_baseAddress}invocation/{requestId}/response"), content, cancellationToken)
            .ConfigureAwait(false);
        result.EnsureSuccessStatusCode();
    }

    /// <summary>Posts the invocation's error (<c>POST /runtime/invocation/{id}/error</c>).</summary>
    public Task ReportErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken = default) =>
        PostErrorAsync(new Uri($"{_baseAddress}invocation/{requestId}/error"), error, cancellationToken);

    /// <summary>Reports a failed initialisation (<c>POST /runtime/init/error</c>); the runtime should exit after it.</summary>
    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken = default) =>
        PostErrorAsync(_initErrorUri, error, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(Uri uri, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = new ArrayBufferWriter<byte>(256);
        error.WriteTo(body);
        using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = JsonMediaType;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var result = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        result.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
