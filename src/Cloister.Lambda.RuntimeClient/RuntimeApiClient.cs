using System.Buffers;
using System.Globalization;
using System.Text;
using Cloister.Lambda.RuntimeClient.Http;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// A client of the Lambda Runtime API (2018-06-01) at <c>AWS_LAMBDA_RUNTIME_API</c>: one kept-alive HTTP/1.1
/// connection, a long poll for the next invocation, responses and errors posted back. One invocation at a time,
/// as the Runtime API works, each call blocking its thread until the Runtime API answers (the runtime has nothing
/// else to do meanwhile); not thread-safe.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private readonly RuntimeApiConnection _connection;
    private readonly string _host;
    private readonly byte[] _nextRequest;
    private readonly ArrayBufferWriter<byte> _head = new(512);
    private readonly ArrayBufferWriter<byte> _errorBody = new(512);
    private readonly TimeProvider _timeProvider;

    /// <summary>A client of the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>).</summary>
    public RuntimeApiClient(string runtimeApi, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _connection = new RuntimeApiConnection(runtimeApi);
        _host = runtimeApi;
        _nextRequest = Encoding.ASCII.GetBytes($"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {runtimeApi}\r\n\r\n");
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

    /// <summary>
    /// Waits for the next invocation (<c>GET /runtime/invocation/next</c>). After a <see cref="RespondThenNext"/> whose
    /// response was refused, the long poll it already sent is the one answered here, not sent again.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled while waiting.</exception>
    public LambdaInvocation Next(CancellationToken cancellationToken = default) =>
        ToInvocation(_connection.HasPending ? _connection.ReceivePending(cancellationToken) : _connection.Exchange(_nextRequest, [], cancellationToken));

    /// <summary>
    /// Posts the invocation's response and waits for the next invocation, the two requests pipelined in one write
    /// on the kept-alive connection (the Runtime API answers them in order): one round trip and one wake-up fewer per
    /// invocation than <see cref="Respond"/> then <see cref="Next"/>. A response the Runtime API refuses as too
    /// large (413) has failed that invocation there; the next invocation is returned all the same.
    /// </summary>
    /// <exception cref="RuntimeApiException">
    /// When the Runtime API refuses the response otherwise. The long poll stays sent: <see cref="Next"/> reads its
    /// answer; any other call first drops it with the connection, so as not to wait behind it.
    /// </exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled while waiting.</exception>
    public LambdaInvocation RespondThenNext(string requestId, ReadOnlySpan<byte> response, CancellationToken cancellationToken = default)
    {
        var path = $"invocation/{requestId}/response";
        var (head, body) = _connection.Exchange(PostHead(path, response.Length, null), response, _nextRequest, cancellationToken);
        if (head.StatusCode != 413)
        {
            EnsureSuccess(head, body, path);
        }

        return Next(cancellationToken);
    }

    /// <summary>Posts the invocation's response (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    /// <exception cref="RuntimeApiException">When the Runtime API refuses it, such as 413 for a response over 6 MB.</exception>
    public void Respond(string requestId, ReadOnlySpan<byte> response, CancellationToken cancellationToken = default) =>
        Post($"invocation/{requestId}/response", response, null, cancellationToken);

    /// <summary>
    /// Begins streaming the invocation's response (<see cref="LambdaResponseStream"/>, on a connection of its own): write
    /// to it, then <see cref="LambdaResponseStream.Complete"/> or <see cref="LambdaResponseStream.Fail"/>. An error before
    /// anything is streamed is better posted with <see cref="ReportError"/>, which the Runtime API no longer takes once a
    /// stream began.
    /// </summary>
    public LambdaResponseStream StartResponseStream(string requestId, string contentType = "application/octet-stream")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ArgumentNullException.ThrowIfNull(contentType);
        var socket = _connection.Connect();
        try
        {
            return new LambdaResponseStream(socket, _host, requestId, contentType);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Posts the invocation's error (<c>POST /runtime/invocation/{id}/error</c>).</summary>
    public void ReportError(string requestId, LambdaError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        PostError($"invocation/{requestId}/error", error, cancellationToken);
    }

    /// <summary>Reports a failed initialisation (<c>POST /runtime/init/error</c>); the runtime should exit after it.</summary>
    public void ReportInitError(LambdaError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        PostError("init/error", error, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void PostError(string path, LambdaError error, CancellationToken cancellationToken)
    {
        _errorBody.ResetWrittenCount();
        error.WriteTo(_errorBody);
        Post(path, _errorBody.WrittenSpan, error.ErrorType, cancellationToken);
    }

    private void Post(string path, ReadOnlySpan<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        var (head, responseBody) = _connection.Exchange(PostHead(path, body.Length, errorType), body, cancellationToken);
        EnsureSuccess(head, responseBody, path);
    }

    private ReadOnlySpan<byte> PostHead(string path, int bodyLength, string? errorType)
    {
        _head.ResetWrittenCount();
        Write(_head, "POST /2018-06-01/runtime/");
        Write(_head, path);
        Write(_head, " HTTP/1.1\r\nHost: ");
        Write(_head, _host);
        Write(_head, "\r\nContent-Type: application/json\r\nContent-Length: ");
        Write(_head, bodyLength.ToString(CultureInfo.InvariantCulture));
        if (errorType is not null)
        {
            Write(_head, "\r\nLambda-Runtime-Function-Error-Type: ");
            Write(_head, errorType.ReplaceLineEndings(" "));
        }

        Write(_head, "\r\n\r\n");
        return _head.WrittenSpan;
    }

    private LambdaInvocation ToInvocation((ResponseHead Head, byte[] Body) response)
    {
        var (head, body) = response;
        EnsureSuccess(head, body, "invocation/next");
        var requestId = head.RequestId
            ?? throw new RuntimeApiException(head.StatusCode, "The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(head.DeadlineMs, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + 3000;
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", head.TraceId);
        var context = new LambdaContext(
            _timeProvider, requestId, deadline, head.InvokedFunctionArn ?? string.Empty, head.TraceId, head.ClientContext, head.CognitoIdentity);
        return new LambdaInvocation(body, context);
    }

    private static void Write(ArrayBufferWriter<byte> output, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        output.Advance(written);
    }

    private static void EnsureSuccess(ResponseHead head, byte[] body, string path)
    {
        if (head.StatusCode is < 200 or > 299)
        {
            throw new RuntimeApiException(head.StatusCode, $"Runtime API {path}: {head.StatusCode} {Encoding.UTF8.GetString(body)}");
        }
    }
}
