using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Http;
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
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 96 };
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly DynamoDbService _service;
    private readonly ILogger _logger;
    private readonly IReadOnlySet<string>? _accessKeyIds;

    public RequestHandler(DynamoDbService service, ILogger logger, IReadOnlySet<string>? accessKeyIds)
    {
        _service = service;
        _logger = logger;
        _accessKeyIds = accessKeyIds;
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

        var buffer = new ArrayBufferWriter<byte>(512);
        var operation = "?";
        int status;
        try
        {
            operation = Authorize(context);
            using var body = await ReadBodyAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
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
        response.Headers["x-amzn-RequestId"] = NewRequestId();
        response.Headers["x-amz-crc32"] = Crc32.Compute(buffer.WrittenSpan).ToString(CultureInfo.InvariantCulture);
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static int WriteError(ArrayBufferWriter<byte> buffer, DynamoDbException error)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        ErrorWriter.Write(writer, error);
        writer.Flush();
        return error.StatusCode;
    }

    private string Authorize(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (_accessKeyIds is not null)
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                throw new DynamoDbException("com.amazon.coral.service#MissingAuthenticationTokenException", "Request is missing Authentication Token");
            }

            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            var end = start < 0 ? -1 : authorization.IndexOf('/', start);
            var keyId = start < 0 || end < 0 ? "" : authorization[(start + "Credential=".Length)..end];
            if (!_accessKeyIds.Contains(keyId))
            {
                throw new DynamoDbException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }
        }

        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || !_service.Supports(target[TargetPrefix.Length..]))
        {
            throw new DynamoDbException(ErrorCodes.UnknownOperation, "");
        }

        return target[TargetPrefix.Length..];
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

    private static string NewRequestId()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return RandomNumberGenerator.GetString(Alphabet, 52);
    }
}
