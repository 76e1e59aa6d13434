using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Tests.Fakes;

/// <summary>
/// Lambda functions as in-process handlers behind the invocation port: each receives the event JSON and
/// returns a response, an error, or waits (honouring cancellation). Every event received is kept, with its
/// invocation type; an <c>Event</c> invocation is accepted at once and its handler runs on its own.
/// </summary>
public sealed class InProcessLambda : ILambdaInvoker
{
    private readonly ConcurrentDictionary<string, Func<JsonDocument, CancellationToken, Task<LambdaInvocationResult>>> _functions = new();

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<LambdaInvocationType> InvocationTypes { get; } = new();

    public static string Arn(string name) => $"arn:aws:lambda:us-east-1:123456789012:function:{name}";

    public static string IntegrationUri(string name) => $"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{Arn(name)}/invocations";

    public void Add(string name, Func<JsonDocument, CancellationToken, Task<LambdaInvocationResult>> handler) => _functions[Arn(name)] = handler;

    /// <summary>A function that always returns <paramref name="response"/> (raw JSON).</summary>
    public void AddFixed(string name, string response) =>
        Add(name, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(response))));

    /// <summary>
    /// A function Lambda always throttles: its 429 <c>TooManyRequestsException</c> with <paramref name="reason"/> and
    /// <c>Rate Exceeded.</c>, as the real invoker reports it (the function never runs).
    /// </summary>
    public void AddThrottled(string name, string reason) =>
        Add(name, (_, _) => Task.FromResult(new LambdaInvocationResult(
            LambdaInvocationStatus.ServiceError, Encoding.UTF8.GetBytes($$"""{"Reason":"{{reason}}","Type":"User","message":"Rate Exceeded."}"""))
        {
            LambdaStatusCode = 429,
            ErrorType = "TooManyRequestsException",
        }));

    /// <summary>A function that echoes its event as the response body.</summary>
    public void AddEcho(string name) =>
        Add(name, (evt, _) =>
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["statusCode"] = 200, ["body"] = evt.RootElement.GetRawText() });
            return Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(body)));
        });

    public async ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, LambdaInvocationType invocationType, string? traceHeader, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(payload.Span);
        Events.Enqueue(text);
        InvocationTypes.Enqueue(invocationType);
        if (!_functions.TryGetValue(functionArn, out var handler))
        {
            return new LambdaInvocationResult(LambdaInvocationStatus.ServiceError, Encoding.UTF8.GetBytes("{\"errorType\":\"ResourceNotFoundException\"}"));
        }

        if (invocationType == LambdaInvocationType.Event)
        {
            // Queued: the function runs on its own, unbounded by the caller's deadline.
            _ = RunAsync(handler, text, CancellationToken.None);
            return new LambdaInvocationResult(LambdaInvocationStatus.Accepted, ReadOnlyMemory<byte>.Empty);
        }

        return await RunAsync(handler, text, cancellationToken);
    }

    private static async Task<LambdaInvocationResult> RunAsync(Func<JsonDocument, CancellationToken, Task<LambdaInvocationResult>> handler, string text, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(text);
        return await handler(document, cancellationToken);
    }
}
