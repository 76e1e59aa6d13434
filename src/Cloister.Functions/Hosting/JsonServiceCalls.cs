using System.Buffers;
using System.Text.Json;
using Cloister.Policy;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Hosting;

/// <summary>
/// What the sandbox's JSON 1.1 services (CloudWatch Logs, Parameter Store) do alike with a call: who signed it, its
/// input, and whether the caller may make it. Each refusal has the error type and message those services answer (all
/// 400s), made into the service's own exception by <c>refuse</c>.
/// </summary>
internal static class JsonServiceCalls
{
    /// <summary>
    /// The caller who signed <paramref name="request"/>: the SigV4 <c>Authorization</c> header parsed and scoped to
    /// <paramref name="service"/>, its key known and not expired, its signature right.
    /// </summary>
    public static CallerIdentity Authenticate(
        HttpRequest request, byte[] body, string service, ServiceAccess access, DateTimeOffset now, Func<string, string, Exception> refuse)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            throw refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (SigV4Authorization.TryParse(header, out var problem) is not { } authorization)
        {
            throw refuse("IncompleteSignatureException", problem!);
        }

        if (authorization.Service != service)
        {
            throw refuse("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'. ");
        }

        if (access.Callers(authorization.AccessKeyId) is not { } caller)
        {
            throw refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (caller.HasExpired(now))
        {
            throw refuse("ExpiredTokenException", CallerIdentity.ExpiredTokenMessage);
        }

        if (caller.SecretAccessKey is { } secret && HttpsApplication.Verify(request, body, authorization, secret, now) is { } failure)
        {
            throw refuse(failure.Incomplete ? "IncompleteSignatureException" : "InvalidSignatureException", failure.Message);
        }

        return caller;
    }

    /// <summary>The call's input, a JSON object (an empty body is <c>{}</c>); the caller disposes it.</summary>
    public static JsonDocument ReadInput(byte[] body, Func<string, string, Exception> refuse)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            throw refuse("SerializationException", "The request body is not valid JSON.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw refuse("SerializationException", "The request body is not a JSON object.");
        }

        return document;
    }

    /// <summary>
    /// Refuses (<c>AccessDeniedException</c> in IAM's words) unless <paramref name="caller"/>'s identity policies, and
    /// the policy of the endpoint its connection came through, allow <paramref name="action"/> on
    /// <paramref name="resource"/>; <paramref name="facts"/> adds the call's own condition keys (tags...). The stack
    /// host's own connection (no origin) is not authorized, as by the other services.
    /// </summary>
    public static void Authorize(
        CallerIdentity? caller,
        ServiceConnection connection,
        bool isHttps,
        string region,
        DateTimeOffset now,
        string action,
        string resource,
        Func<string, string, Exception> refuse,
        Action<RequestContext>? facts = null)
    {
        if (caller is null || connection.Origin is not { } origin)
        {
            return;
        }

        var context = new RequestContext
        {
            Action = action,
            Resource = resource,
            Principal = caller.Principal,
            UserId = caller.UserId,
            RequestTime = now,
            SecureTransport = isHttps,
            RequestedRegion = region,
        };
        context.SetOrigin(origin);
        facts?.Invoke(context);
        var decision = IamAccess.Evaluate(context, caller, resourcePolicy: null, connection.EndpointPolicy, connection.EndpointType);
        if (!decision.IsAllowed)
        {
            throw refuse("AccessDeniedException", decision.DeniedMessage(caller.Arn, action, resource));
        }
    }

    /// <summary>
    /// Answers one call: its body read (at most <paramref name="maxBodyBytes"/>, else <paramref name="tooLarge"/>), then
    /// <paramref name="answer"/>'s JSON with 200, or a <typeparamref name="TRefusal"/> as 400 <c>{"__type", "message"}</c>
    /// (<paramref name="describe"/> gives both; a null message is left out), each with a request id.
    /// </summary>
    public static async Task RespondAsync<TRefusal>(
        HttpContext context, int maxBodyBytes, Func<HttpRequest, byte[], byte[]> answer, Func<TRefusal> tooLarge, Func<TRefusal, (string Type, string? Message)> describe)
        where TRefusal : Exception
    {
        var response = context.Response;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        response.ContentType = "application/x-amz-json-1.1";
        var body = await HttpsApplication.ReadBodyAsync(context.Request, maxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        byte[] payload;
        try
        {
            payload = body is null ? throw tooLarge() : answer(context.Request, body);
            response.StatusCode = 200;
        }
        catch (TRefusal refused)
        {
            response.StatusCode = 400;
            var (type, message) = describe(refused);
            payload = Error(type, message);
        }

        await response.Body.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A JSON object written by <paramref name="write"/> (its members), as the services answer.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Error(string type, string? message) => Json(writer =>
    {
        writer.WriteString("__type", type);
        if (message is not null)
        {
            writer.WriteString("message", message);
        }
    });
}
