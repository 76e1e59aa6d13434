using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Cloister.Tables.Authentication;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

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
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly DynamoDbService _service;
    private readonly ILogger _logger;
    private readonly IReadOnlySet<string>? _accessKeyIds;
    private readonly SignatureVerifier? _verifier;
    private readonly RequestIds _requestIds = new();

    public RequestHandler(DynamoDbService service, ILogger logger, IReadOnlySet<string>? accessKeyIds, SignatureVerifier? verifier)
    {
        _service = service;
        _logger = logger;
        _accessKeyIds = accessKeyIds;
        _verifier = verifier;
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

        using var buffer = new PooledBufferWriter(InitialResponseBytes);
        var operation = "?";
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

            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            await _service.HandleAsync(operation, body.Document.RootElement, writer, new RequestInfo(context.Request.Host.Value ?? "")).ConfigureAwait(false);
            writer.Flush();
            status = StatusCodes.Status200OK;
        }
        catch (DynamoDbException error)
        {
            Log.Refused(_logger, operation, error.Type);
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
            status = WriteError(buffer, new DynamoDbException());
        }

        response.StatusCode = status;
        response.ContentType = "application/x-amz-json-1.0";
        response.Headers["x-amzn-RequestId"] = _requestIds.Next();
        response.Headers["x-amz-crc32"] = Crc32.Compute(buffer.WrittenSpan).ToString(CultureInfo.InvariantCulture);
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static int WriteError(PooledBufferWriter buffer, DynamoDbException error)
    {
        buffer.Clear();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
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

    private static async Task<RequestBody> ReadBodyAsync(PipeReader reader, CancellationToken cancellation)
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
                try
                {
                    return RequestBody.Parse(result.Buffer, DocumentOptions);
                }
                catch (JsonException)
                {
                    throw DynamoDbException.Serialization("Unexpected character or end of input in the request body");
                }
                finally
                {
                    reader.AdvanceTo(result.Buffer.End);
                }
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
