using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Cloister.Tables.Authentication;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Cloister.Tables.Hosting;

/// <summary>
/// The HTTP boundary: <c>POST /</c> with <c>X-Amz-Target: DynamoDB_20120810.{Operation}</c>, a JSON
/// body in, a JSON body out with <c>x-amz-crc32</c> and <c>x-amzn-RequestId</c>. Every error is
/// translated here, once, into DynamoDB's status, <c>__type</c> and message.
/// </summary>
internal sealed class RequestHandler
{
    /// <summary>DynamoDB's request size limit.</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    private const string TargetPrefix = "DynamoDB_20120810.";
    private const int InitialResponseBytes = 1024;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 96 };
    private const string RequestIdHeader = "x-amzn-RequestId";
    private const string CrcHeader = "x-amz-crc32";
    private static readonly StringValues JsonContentType = new("application/x-amz-json-1.0");

    private readonly DynamoDbService _service;
    private readonly ILogger _logger;
    private readonly IReadOnlySet<string>? _accessKeyIds;
    private readonly SignatureVerifier? _verifier;
    private readonly RequestIds _requestIds = new();
    private readonly string _getItem;

    public RequestHandler(DynamoDbService service, ILogger logger, IReadOnlySet<string>? accessKeyIds, SignatureVerifier? verifier)
    {
        _service = service;
        _logger = logger;
        _accessKeyIds = accessKeyIds;
        _verifier = verifier;
        _getItem = service.TryResolve("GetItem", out var getItem) ? getItem : throw new InvalidOperationException("GetItem is not an operation.");
    }

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            // DynamoDB answers a plain GET with a health line; anything else is not an API call.
            response.ContentType = "text/plain";
            await response.WriteAsync("healthy: dynamodb." + context.Request.Host.Host + " ", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        PooledBufferWriter? buffer = null;
        try
        {
            var operation = "?";
            ItemResponse? simple = null;
            int status;
            try
            {
                var signature = Authenticate(context.Request);
                operation = ResolveOperation(context.Request);
                using var body = await ReadBodyAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
                if (signature is not null)
                {
                    var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
                    _verifier!.Verify(signature, context.Request.Method, target, context.Request.Headers, body.Bytes);
                }

                if (ReferenceEquals(operation, _getItem) && _service.TryGetItem(body.Bytes, out var item))
                {
                    // The common GetItem, answered from the request bytes with the item's cached response.
                    simple = item;
                    status = StatusCodes.Status200OK;
                }
                else
                {
                    buffer = new PooledBufferWriter(InitialResponseBytes);
                    using var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions);
                    await _service.HandleAsync(operation, Parse(body).RootElement, writer, new RequestInfo(context.Request.Host.Value ?? "")).ConfigureAwait(false);
                    writer.Flush();
                    status = StatusCodes.Status200OK;
                }
            }
            catch (DynamoDbException error)
            {
                Log.Refused(_logger, operation, error.Type);
                buffer ??= new PooledBufferWriter(InitialResponseBytes);
                status = WriteError(buffer, error);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The boundary turns every unexpected failure into DynamoDB's InternalServerError.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.Failed(_logger, operation, exception);
                buffer ??= new PooledBufferWriter(InitialResponseBytes);
                status = WriteError(buffer, new DynamoDbException());
            }

            if (simple is not null)
            {
                await WriteResponseAsync(response, status, simple.Body, simple.Crc, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                var crc = Crc32.Compute(buffer!.WrittenSpan).ToString(CultureInfo.InvariantCulture);
                await WriteResponseAsync(response, status, buffer.WrittenMemory, crc, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            buffer?.Dispose();
        }
    }

    /// <summary>Status, DynamoDB's headers and the body, written to Kestrel's pipe in one go.</summary>
    private async ValueTask WriteResponseAsync(HttpResponse response, int status, ReadOnlyMemory<byte> body, string crc, CancellationToken cancellation)
    {
        response.StatusCode = status;
        var headers = response.Headers;
        headers.ContentType = JsonContentType;
        headers[RequestIdHeader] = _requestIds.Next();
        headers[CrcHeader] = crc;
        headers.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body, cancellation).ConfigureAwait(false);
    }

    private static JsonDocument Parse(RequestBody body)
    {
        try
        {
            return body.ParseDocument(DocumentOptions);
        }
        catch (JsonException)
        {
            throw DynamoDbException.Serialization("Unexpected character or end of input in the request body");
        }
    }

    private static int WriteError(PooledBufferWriter buffer, DynamoDbException error)
    {
        buffer.Clear();
        using var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions);
        ErrorWriter.Write(writer, error);
        writer.Flush();
        return error.StatusCode;
    }

    /// <summary>
    /// Credentials: with signing credentials configured, the key id is checked here and the signature
    /// once the body is read (returned for that); with key ids only, the key id alone; otherwise any.
    /// </summary>
    private SigV4Authorization? Authenticate(HttpRequest request)
    {
        if (_verifier is not null)
        {
            return _verifier.Authenticate(request.Headers.Authorization.ToString());
        }

        if (_accessKeyIds is not null)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                throw new DynamoDbException(ErrorCodes.MissingAuthenticationToken, "Request is missing Authentication Token");
            }

            if (!_accessKeyIds.Contains(SigV4Authorization.KeyIdOf(authorization).ToString()))
            {
                throw new DynamoDbException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }
        }

        return null;
    }

    private string ResolveOperation(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"];
        if (target.Count != 1 || target[0] is not { } value ||
            !value.StartsWith(TargetPrefix, StringComparison.Ordinal) ||
            !_service.TryResolve(value.AsSpan(TargetPrefix.Length), out var operation))
        {
            throw new DynamoDbException(ErrorCodes.UnknownOperation, "");
        }

        return operation;
    }

    private static async ValueTask<RequestBody> ReadBodyAsync(PipeReader reader, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            if (result.Buffer.Length > MaxRequestBytes)
            {
                reader.AdvanceTo(result.Buffer.End);
                throw DynamoDbException.Validation("Request size exceeded " + MaxRequestBytes + " bytes");
            }

            if (result.IsCompleted)
            {
                var body = RequestBody.Copy(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                return body;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
