namespace Cloister.Functions;

/// <summary>An Event invocation waiting for its turn, as the event store keeps it until its delivery completes.</summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Qualifier">The alias or version invoked, null for <c>$LATEST</c>: resolved again on each attempt.</param>
/// <param name="Payload">The event (copied: the caller's buffer is not kept).</param>
/// <param name="RequestId">The id answered to the caller, and the function's request id on every attempt.</param>
/// <param name="Context">The caller's Cognito identity and trace header (the client context is for synchronous invocations only).</param>
/// <param name="AcceptedAt">When the 202 was given: the event's age, which <see cref="FunctionsOptions.MaximumEventAge"/>
/// bounds, counts from here, across a restart too.</param>
/// <param name="Retries">The retries of function errors used so far (<see cref="FunctionsOptions.EventRetryDelays"/>).</param>
internal sealed record QueuedEvent(string FunctionName, string? Qualifier, byte[] Payload, string RequestId, InvocationContext Context, DateTimeOffset AcceptedAt, int Retries = 0);
