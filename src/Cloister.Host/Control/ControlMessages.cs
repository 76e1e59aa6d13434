using System.Text.Json.Serialization;
using Cloister.Host.Status;

namespace Cloister.Host.Control;

/// <summary>One request to the stack host: one JSON line on its Unix socket.</summary>
/// <param name="Command"><c>status</c>, <c>invoke</c>, <c>session</c>, <c>deploy</c> or <c>down</c>.</param>
/// <param name="FunctionName">For <c>invoke</c>: the function (name or ARN).</param>
/// <param name="Payload">For <c>invoke</c>: the event JSON.</param>
/// <param name="InvocationType">For <c>invoke</c>: <c>RequestResponse</c> (default) or <c>Event</c>.</param>
/// <param name="InstanceId">For <c>session</c>: the instance Session Manager would connect to; refused unless it is a connected managed node.</param>
/// <param name="Deploy">For <c>deploy</c>: every running stack's template and parameters, the code prepared, as for <c>up</c>.</param>
/// <param name="DisableRollback">For <c>deploy</c>: a failed deployment leaves what it applied (<c>--disable-rollback</c>) instead of rolling back.</param>
public sealed record ControlRequest(string Command, string? FunctionName = null, string? Payload = null, string? InvocationType = null, string? InstanceId = null, DeployRequest? Deploy = null, bool DisableRollback = false);

/// <summary>The host's answer: one JSON line.</summary>
/// <param name="Ok">Whether the command succeeded.</param>
/// <param name="Error">What went wrong, when not.</param>
/// <param name="Status">For <c>status</c>.</param>
/// <param name="Invocation">For <c>invoke</c>.</param>
/// <param name="Events">For <c>deploy</c>: what happened to each resource (<c>UPDATE_IN_PROGRESS</c>, <c>UPDATE_COMPLETE</c>...),
/// each refused change (<c>refused</c>), or that a stack is unchanged (<c>unchanged</c>), in order.</param>
public sealed record ControlResponse(bool Ok, string? Error = null, StackStatus? Status = null, InvocationReply? Invocation = null, IReadOnlyList<DeployEvent>? Events = null)
{
    /// <summary>The <see cref="Error"/> of <c>status</c> and <c>invoke</c> while the host is still bringing the stacks up.</summary>
    public const string ComingUp = "The stacks are still coming up.";
}

/// <summary>The result of <c>invoke</c>, with the Lambda Invoke API's fields.</summary>
/// <param name="StatusCode">200 (RequestResponse) or 202 (Event), or the service error's status.</param>
/// <param name="Payload">The function's response (or error object).</param>
/// <param name="FunctionError"><c>Unhandled</c> (or the function's own value) when the function ran and failed.</param>
/// <param name="ExecutedVersion"><c>$LATEST</c>, or the version an alias or version invocation ran.</param>
/// <param name="RequestId">The invocation's request id.</param>
/// <param name="ErrorType">When Lambda itself refused the call and nothing ran (its <c>x-amzn-ErrorType</c>):
/// <c>ResourceNotFoundException</c>, <c>ValidationException</c>, <c>InvalidRequestContentException</c>...; the
/// <paramref name="Payload"/> is then Lambda's error body with its <c>message</c>.</param>
public sealed record InvocationReply(int StatusCode, string Payload, string? FunctionError, string ExecutedVersion, string RequestId, string? ErrorType = null);

/// <summary>A progress event the host writes on its standard output while it brings the stacks up (JSON lines).</summary>
/// <param name="Phase">Such as <c>network</c>, <c>tables</c>, <c>functions</c>.</param>
/// <param name="State"><c>started</c>, <c>done</c>, <c>failed</c> or <c>ready</c> (the last event of a good start).</param>
/// <param name="Message">What happened.</param>
/// <param name="ElapsedMilliseconds">Milliseconds since the host started.</param>
public sealed record DeployEvent(string Phase, string State, string Message, long ElapsedMilliseconds);

/// <summary>Source-generated JSON for everything the host and CLI exchange.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(DeployEvent))]
[JsonSerializable(typeof(DeployRequest))]
public sealed partial class HostJson : JsonSerializerContext;
