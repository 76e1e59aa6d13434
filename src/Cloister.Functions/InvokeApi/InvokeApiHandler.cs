using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Refusals;
using Cloister.Model.Compute;
using Cloister.Shared.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's REST API over HTTP, as far as Cloister serves it (<see cref="LambdaOperation"/>): <c>Invoke</c>
/// (<c>POST /2015-03-31/functions/{FunctionName}/invocations</c>) with the function named as Invoke takes it (name,
/// partial or full ARN, with a qualifier or the <c>Qualifier</c> query parameter), the <c>X-Amz-Invocation-Type</c>,
/// <c>X-Amz-Log-Type</c> and <c>X-Amz-Client-Context</c> headers, run by <see cref="LambdaService.InvokeNamedRequestAsync"/> once the name is checked
/// and answered with Lambda's status and headers; InvokeWithResponseStream
/// (<c>POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations</c>) the same way, RequestResponse or
/// DryRun only, its response as an event stream (<see cref="ResponseStreamAnswer"/>); GetFunction, GetFunctionConfiguration and ListFunctions from the
/// deployed functions (<see cref="FunctionDescriptions"/>); ListTags, TagResource and UntagResource on their tags
/// (<see cref="FunctionTags"/>). Every call is authorized by <see cref="InvokeAuthorizer"/>;
/// Lambda's other operations are refused as operations the caller may not use, anything else is no operation. Every
/// refusal is Lambda's JSON body with its <c>x-amzn-ErrorType</c>.
/// </summary>
internal sealed class InvokeApiHandler(LambdaService functions, InvokeAuthorizer? authorizer, IReadOnlyDictionary<string, string> vpcOfSubnet)
{
    // Over the synchronous quota is refused by the service with its words; more than this is not read at all.
    private const int MaxBodyBytes = LambdaService.MaxSynchronousPayloadBytes + 1;

    // Lambda's limit on X-Amz-Client-Context: 3583 bytes of base64.
    private const int MaxClientContextLength = 3583;

    private readonly FunctionDescriptions _descriptions = new(functions, vpcOfSubnet);
    private readonly FunctionTags _tags = new(functions);

    // GetFunction shows a function's tags only to a caller allowed lambda:ListTags on it.
    private static readonly LambdaOperation ListTagsOnly = new(LambdaOperation.ListTags, "lambda:ListTags", null);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? string.Empty;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        if (LambdaOperation.Match(request.Method, path) is not { } operation)
        {
            await WriteAsync(context.Response, Refusal.UnknownOperation(Guid.NewGuid().ToString()), invocation: false).ConfigureAwait(false);
            return;
        }

        var reference = operation.Function;
        var given = request.Query.TryGetValue("Qualifier", out var sent) ? sent.ToString() : null;
        var qualifier = given is { Length: > 0 } ? given : null;
        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);

        // The function's name and qualifier are checked before the caller is (the tagging operations check their ARN themselves).
        // An invocation's type and log type are checked with them, so one refusal lists every violation.
        var invoke = operation.Name is LambdaOperation.Invoke or LambdaOperation.InvokeWithResponseStream
            ? new InvokeMembers(
                request.Headers["X-Amz-Invocation-Type"].FirstOrDefault(),
                request.Headers["X-Amz-Log-Type"].ToString(),
                Streaming: operation.Name == LambdaOperation.InvokeWithResponseStream)
            : (InvokeMembers?)null;
        if (reference is not null && !operation.Tagging && FunctionNameCheck.Refuse(reference, given, functions.Account, invoke) is { } misnamed)
        {
            await WriteAsync(context.Response, misnamed, invocation: false).ConfigureAwait(false);
            return;
        }

        if (operation.Name == LambdaOperation.Invoke)
        {
            var result = Refuse(request, body, operation, reference!, qualifier, out var invocation)
                ?? await functions.InvokeNamedRequestAsync(reference!, qualifier, body, request.Headers["X-Amz-Invocation-Type"].FirstOrDefault(), invocation, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context.Response, result, invocation: true).ConfigureAwait(false);
            return;
        }

        if (operation.Name == LambdaOperation.InvokeWithResponseStream)
        {
            var type = request.Headers["X-Amz-Invocation-Type"].FirstOrDefault();
            var stream = new ResponseStreamAnswer(context.Response, context.RequestAborted);
            var (streamed, result) = (Refuse(request, body, operation, reference!, qualifier, out var invocation) ?? StreamingTypeRefusal(type)) is { } refusal
                ? (false, refusal)
                : await stream.RelayAsync(functions.InvokeNamedRequestAsync(reference!, qualifier, body, type, invocation with { ResponseStream = stream }, context.RequestAborted).AsTask()).ConfigureAwait(false);
            if (!streamed)
            {
                await WriteAsync(context.Response, result, invocation: true).ConfigureAwait(false);
            }

            return;
        }

        string? name = null;
        string? derived = null;
        if (reference is not null)
        {
            name = LambdaFunction.NameOf(reference, out derived);
        }

        var answer = Authorize(context, body, operation, name, qualifier ?? derived)
            ?? operation.Name switch
            {
                LambdaOperation.ListFunctions => _descriptions.List(Query(request, "FunctionVersion"), Query(request, "MaxItems"), Query(request, "Marker")),
                LambdaOperation.ListTags => _tags.List(reference!),
                LambdaOperation.TagResource => _tags.Tag(reference!, body),
                LambdaOperation.UntagResource => _tags.Untag(reference!, request.Query.TryGetValue("tagKeys", out var keys) ? [.. keys.OfType<string>()] : null),
                LambdaOperation.GetFunction => _descriptions.Get(reference!, qualifier, configurationOnly: false, TagsRefusal(context, body, name!)),
                _ => _descriptions.Get(reference!, qualifier, configurationOnly: true, tagsRefusal: null),
            };
        await WriteAsync(context.Response, answer, invocation: false).ConfigureAwait(false);
    }

    /// <summary>
    /// The authorizer's refusal, or without one (anyone may call) only the refusal of an operation Cloister does not
    /// serve; null when the call goes on.
    /// </summary>
    private InvocationResult? Authorize(HttpContext context, ReadOnlySpan<byte> body, LambdaOperation operation, string? name, string? qualifier) =>
        authorizer is not null ? authorizer.Check(context, body, operation, name, qualifier)
        : operation.Served ? null
        : InvokeAuthorizer.NotServed("anonymous", operation.Action, InvokeAuthorizer.ResourceOf(functions.Account, name, qualifier));

    /// <summary>
    /// Why GetFunction leaves the function's tags out (its <c>TagsError</c>: the error type and message ListTags would
    /// answer this caller with), or null when the caller may list them: Lambda returns them only to a caller explicitly
    /// allowed <c>lambda:ListTags</c> on the function.
    /// </summary>
    private (string Code, string Message)? TagsRefusal(HttpContext context, ReadOnlySpan<byte> body, string name)
    {
        if (Authorize(context, body, ListTagsOnly, name, null) is not { } refusal)
        {
            return null;
        }

        using var error = JsonDocument.Parse(refusal.Payload);
        return (refusal.ServiceErrorType ?? "AccessDeniedException", error.RootElement.GetProperty("message").GetString() ?? string.Empty);
    }

    /// <summary>
    /// InvokeWithResponseStream's invocation types are RequestResponse and DryRun (the API reference's
    /// <c>ResponseStreamingInvocationType</c>): Event, or anything else, is Lambda's 400 <c>ValidationException</c>.
    /// </summary>
    private static InvocationResult? StreamingTypeRefusal(string? invocationType)
    {
        var violations = new ConstraintViolations();
        InvokeRequestCheck.CheckType(violations, invocationType, streaming: true);
        return violations.Any ? Refusal.Validation(violations.Message, Guid.NewGuid().ToString()) : null;
    }

    private static string? Query(HttpRequest request, string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Lambda's refusals of what this layer checks (the headers, the caller); null when the call goes to the service.</summary>
    private InvocationResult? Refuse(HttpRequest request, ReadOnlySpan<byte> body, LambdaOperation operation, string reference, string? qualifier, out InvocationContext invocation)
    {
        invocation = InvocationContext.None;
        var logType = request.Headers["X-Amz-Log-Type"].ToString();

        if (request.Headers["X-Amz-Client-Context"].ToString() is { Length: > 0 } encoded)
        {
            if (encoded.Length > MaxClientContextLength || DecodeClientContext(encoded) is not { } clientContext)
            {
                return Refusal.InvalidRequestContent("Client context must be a valid Base64-encoded JSON object.", Guid.NewGuid().ToString());
            }

            invocation = new InvocationContext(clientContext);
        }

        if (request.Headers.TryGetValue("X-Amzn-Trace-Id", out var trace) && trace.Count > 0)
        {
            invocation = invocation with { TraceHeader = trace.ToString() };
        }

        if (logType == "Tail")
        {
            invocation = invocation with { TailLog = true };
        }

        var name = LambdaFunction.NameOf(reference, out var derived);
        return Authorize(request.HttpContext, body, operation, name, qualifier ?? derived);
    }

    private static string? DecodeClientContext(string encoded)
    {
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written) || InvokeRequestCheck.CheckPayload(bytes.AsSpan(0, written)) is not null)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, written).TrimStart();
        return text.StartsWith('{') ? text : null;
    }

    /// <summary>The answer; <paramref name="invocation"/>: an Invoke's, with its version and function error headers.</summary>
    private static async Task WriteAsync(HttpResponse response, InvocationResult result, bool invocation)
    {
        response.StatusCode = result.StatusCode;
        response.Headers["x-amzn-RequestId"] = result.RequestId;
        response.ContentType = "application/json";
        if (result.ServiceErrorType is { } errorType)
        {
            response.Headers["x-amzn-ErrorType"] = errorType;
        }
        else if (invocation)
        {
            // Only a synchronous invocation ran a version: Event's 202 and DryRun's 204 carry just their status, as
            // the Developer Guide shows Event's answer ({"StatusCode": 202} in the CLI) and the older API reference said
            // ("returned only if the invocation type is RequestResponse").
            if (result.StatusCode == StatusCodes.Status200OK)
            {
                response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
            }

            if (result.FunctionError is { } functionError)
            {
                response.Headers["X-Amz-Function-Error"] = functionError;
            }

            if (result.LogTail is { } tail)
            {
                // The last 4 KB of the invocation's log, base64 (what the CLI's --log-type Tail decodes).
                response.Headers["X-Amz-Log-Result"] = Convert.ToBase64String(tail.Span);
            }
        }

        response.ContentLength = result.Payload.Length;
        if (result.StatusCode != StatusCodes.Status204NoContent && !result.Payload.IsEmpty)
        {
            await response.Body.WriteAsync(result.Payload).ConfigureAwait(false);
        }
    }

    /// <summary>The body, cut at <see cref="MaxBodyBytes"/> (the service refuses anything that long); read through a pooled buffer.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } length and < MaxBodyBytes ? (int)Math.Max(length, 1) : 64 * 1024);
        var filled = 0;
        try
        {
            while (filled < MaxBodyBytes)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes));
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(filled, Math.Min(buffer.Length, MaxBodyBytes) - filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            // A copy of its own: an Event invocation's payload outlives the call.
            return buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
