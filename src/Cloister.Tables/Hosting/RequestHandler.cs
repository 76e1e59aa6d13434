using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Shared.Hashing;
using Cloister.Shared.Signing;
using Cloister.Tables.Access;
using Cloister.Tables.Authentication;
using Cloister.Tables.Hosting.Http;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Hosting;

/// <summary>
/// The DynamoDB boundary: <c>POST /</c> with <c>X-Amz-Target: DynamoDB_20120810.{Operation}</c>, a JSON
/// body in, a JSON body out with <c>x-amz-crc32</c> and <c>x-amzn-RequestId</c>. Every error is
/// translated here, once, into DynamoDB's status, <c>__type</c> and message. The HTTP framing around
/// it is <see cref="Http1ConnectionHandler"/>'s. With access control (<see cref="RequestAuthorizer"/>) each
/// request of a connection that is not the stack host's own is authenticated and every action of its
/// operation authorized before the operation runs.
/// </summary>
internal sealed class RequestHandler : IHttpRequestHandler
{
    /// <summary>DynamoDB's request size limit.</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    private const string TargetPrefix = "DynamoDB_20120810.";
    private const int InitialResponseBytes = 1024;
    private const int MaxOperationLength = 64;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 96 };
    private static readonly uint EmptyItemCrc = Crc32.Compute(EmptyItemBody);

    private readonly DynamoDbService _service;
    private readonly ILogger _logger;
    private readonly IReadOnlySet<string>? _accessKeyIds;
    private readonly SignatureVerifier? _verifier;
    private readonly RequestAuthorizer? _authorizer;
    private readonly RequestIds _requestIds = new();
    private readonly string _getItem;
    private readonly byte[] _health;

    public RequestHandler(DynamoDbService service, AccountContext account, ILogger logger, IReadOnlySet<string>? accessKeyIds, SignatureVerifier? verifier, RequestAuthorizer? authorizer = null)
    {
        _service = service;
        // DynamoDB's health line names its regional endpoint whatever name the request came by (an account-based
        // endpoint, an interface endpoint's own name, or an address): "healthy: dynamodb.us-east-1.amazonaws.com ".
        _health = Encoding.UTF8.GetBytes($"healthy: {RegionalServices.RegionalName("dynamodb", account.Region, account.UrlSuffix)} ");
        _logger = logger;
        _accessKeyIds = accessKeyIds;
        _verifier = verifier;
        _authorizer = authorizer;
        _getItem = service.TryResolve("GetItem", out var getItem) ? getItem : throw new InvalidOperationException("GetItem is not an operation.");
    }

    private static ReadOnlySpan<byte> JsonContentType => "application/x-amz-json-1.0"u8;

    /// <summary>GetItem's answer when there is no such item.</summary>
    private static ReadOnlySpan<byte> EmptyItemBody => "{}"u8;

    public object? OnConnected(ConnectionContext connection) => _authorizer?.Connect(connection);

    public async ValueTask HandleAsync(HttpRequestHead request, RequestBody body, PipeWriter output, object? connection)
    {
        var access = connection as ConnectionAccess;
        if (!request.IsPost)
        {
            // DynamoDB answers a plain GET with a health line; anything else is not an API call.
            HttpResponseWriter.Write(output, request, 200, "text/plain"u8, default, _health);
            return;
        }

        PooledBufferWriter? buffer = null;
        try
        {
            var operation = "?";
            var simple = false;
            StoredItem? item = null;
            int status;
            try
            {
                var signature = Authenticate(request);
                var caller = Caller(request, access);
                operation = ResolveOperation(request);
                if (body.Bytes.Length > MaxRequestBytes)
                {
                    throw DynamoDbException.Validation("Request size exceeded " + MaxRequestBytes + " bytes");
                }

                if (signature is not null)
                {
                    _verifier!.Verify(signature, request.MethodText, request.TargetText, request.ToDictionary(), body.Bytes);
                }

                if (caller is not null)
                {
                    _authorizer!.VerifySignature(request, body.Bytes, caller);
                }

                // Once, for every operation and both GetItem paths, before anything reads the body's strings.
                RequestText.RequireUtf8(body.Bytes);

                // The look-up first (it changes nothing): a GetItem it declines (an N key, an item not yet durable) then
                // goes to the general path without having been authorized here as well.
                if (ReferenceEquals(operation, _getItem) && _service.TryGetItem(body.Bytes, out item) &&
                    (caller is null || _authorizer!.TryAuthorizeGetItem(body.Bytes, access!)))
                {
                    // The common GetItem, answered from the request bytes with the stored item's JSON as it is.
                    simple = true;
                    status = 200;
                }
                else
                {
                    buffer = new PooledBufferWriter(InitialResponseBytes);
                    using var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions);
                    var root = Parse(body);
                    if (caller is not null)
                    {
                        // Every action the operation needs, before it does anything: a denied one leaves nothing written.
                        _authorizer!.Authorize(operation, root, access!);
                    }

                    await _service.HandleAsync(operation, root, writer, new RequestInfo(request.Text("host"u8))).ConfigureAwait(false);
                    writer.Flush();
                    status = 200;
                }
            }
            catch (DynamoDbException error)
            {
                Log.Refused(_logger, operation, error.Type);
                buffer ??= new PooledBufferWriter(InitialResponseBytes);
                status = WriteError(buffer, error);
            }
#pragma warning disable CA1031 // The boundary turns every unexpected failure into DynamoDB's InternalServerError.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.Failed(_logger, operation, exception);
                buffer ??= new PooledBufferWriter(InitialResponseBytes);
                status = WriteError(buffer, new DynamoDbException());
            }

            if (!simple && !_service.TableChangesDurable)
            {
                // The answer (or error, or access denial) may rest on a table change a crash could still undo.
                try
                {
                    await _service.WaitTableChangesDurableAsync().ConfigureAwait(false);
                }
                catch (DynamoDbException error)
                {
                    status = WriteError(buffer!, error);
                }
            }

            if (simple && item is not null)
            {
                WriteResponse(output, request, status, new ResponseBody(StoredItem.ResponseStart, item.Json, StoredItem.ResponseEnd), item.ResponseCrc);
            }
            else if (simple)
            {
                WriteResponse(output, request, status, new ResponseBody(EmptyItemBody), EmptyItemCrc);
            }
            else
            {
                WriteResponse(output, request, status, new ResponseBody(buffer!.WrittenSpan), null);
            }
        }
        finally
        {
            buffer?.Dispose();
        }
    }

    /// <summary>Status, DynamoDB's headers and the body, written to the connection's pipe in one go.</summary>
    private void WriteResponse(PipeWriter output, HttpRequestHead request, int status, ResponseBody body, uint? crc)
    {
        Span<byte> headers = stackalloc byte[128];
        var at = 0;
        "x-amzn-RequestId: "u8.CopyTo(headers);
        at += 18;
        _requestIds.Write(headers[at..]);
        at += RequestIds.Length;
        "\r\nx-amz-crc32: "u8.CopyTo(headers[at..]);
        at += 15;
        Utf8Formatter.TryFormat(crc ?? Crc32.Compute(body.Start, body.Middle, body.End), headers[at..], out var written);
        at += written;

        "\r\n"u8.CopyTo(headers[at..]);
        at += 2;
        HttpResponseWriter.Write(output, request, status, JsonContentType, headers[..at], body);
    }

    /// <summary>
    /// The body's document, checked as a whole before any operation reads it: a structure at the top, and no string escaping
    /// half a surrogate pair. The simple GetItem path never gets here; its reader declines every escape, so such a body
    /// always comes this way.
    /// </summary>
    private static JsonElement Parse(RequestBody body)
    {
        JsonDocument document;
        try
        {
            document = body.ParseDocument(DocumentOptions);
        }
        catch (JsonException) when (RequestText.IsWellFormedBeyondDepth(body.Bytes))
        {
            // Only an attribute value nests this deep in a request that could be valid (no other member is more than a few
            // levels deep), and DynamoDB refuses that with its nesting message, however deep.
            throw DynamoDbException.Validation(AttributeValueReader.NestingMessage);
        }
        catch (JsonException)
        {
            throw DynamoDbException.Unreadable();
        }

        RequestReader.RequireObject(document.RootElement);
        RequestText.RequireWholeSurrogates(body.Bytes);
        return document.RootElement;
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
    private SigV4Authorization? Authenticate(HttpRequestHead request)
    {
        if (_verifier is not null)
        {
            return _verifier.Authenticate(request.Text("authorization"u8));
        }

        if (_accessKeyIds is not null)
        {
            var authorization = request.Text("authorization"u8);
            if (authorization.Length == 0)
            {
                throw DynamoDbException.MissingAuthenticationToken();
            }

            if (!_accessKeyIds.Contains(SigV4Authorization.KeyIdOf(authorization).ToString()))
            {
                throw DynamoDbException.UnrecognizedClient();
            }
        }

        return null;
    }

    /// <summary>
    /// The request's caller under access control; null without it, or on the stack host's own connection. A request
    /// without its connection's access state is refused rather than served unchecked.
    /// </summary>
    private CallerAccess? Caller(HttpRequestHead request, ConnectionAccess? access)
    {
        if (_authorizer is null)
        {
            return null;
        }

        if (access is null)
        {
            throw new InvalidOperationException("With access control every request needs its connection's access state.");
        }

        return access.IsAuthorized ? _authorizer.Authenticate(request, access) : null;
    }

    private string ResolveOperation(HttpRequestHead request)
    {
        var target = request.Value("x-amz-target"u8, out var count);
        Span<char> name = stackalloc char[MaxOperationLength];
        var operation = target.Length > TargetPrefix.Length ? target[TargetPrefix.Length..] : default;
        if (count != 1 || !target.StartsWith("DynamoDB_20120810."u8) || operation.Length > MaxOperationLength ||
            !_service.TryResolve(name[..Encoding.ASCII.GetChars(operation, name)], out var resolved))
        {
            throw new DynamoDbException(ErrorCodes.UnknownOperation, "");
        }

        return resolved;
    }
}
